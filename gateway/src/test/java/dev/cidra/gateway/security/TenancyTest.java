package dev.cidra.gateway.security;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.TestTokens;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Jobs and triggers belong to the tenant that created them: another tenant's are unknown (404, as if they did not
 * exist) and unlisted; admins see every tenant's.
 */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class TenancyTest {
    static final String TYPES = "tag:cidra.dev,2026:problems/";
    static final String CID = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a";

    @Test
    void tenantBCannotSeeTenantAsJob() {
        TestTokens.caller = TestTokens.TENANT_A;
        String jobId = submitted();
        Response own = awaitKnown(jobId);
        assertEquals("tenant-a", own.jsonPath().getString("tenant"));

        TestTokens.caller = TestTokens.TENANT_B;
        String detail =
                assertProblem(given().get("/v1/jobs/" + jobId), 404, TYPES + "job-not-found", "/v1/jobs/" + jobId);
        String unknownId = "j-" + UUID.randomUUID();
        String unknown = assertProblem(
                given().get("/v1/jobs/" + unknownId), 404, TYPES + "job-not-found", "/v1/jobs/" + unknownId);
        assertEquals(
                unknown.replace(unknownId, jobId),
                detail,
                "another tenant's job reads exactly as a job that does not exist");
        assertProblem(
                given().get("/v1/jobs/" + jobId + "/outputs"),
                404,
                TYPES + "job-not-found",
                "/v1/jobs/" + jobId + "/outputs");
        assertFalse(listed(given().get("/v1/jobs?limit=1000")).contains(jobId));
        assertEquals(
                unknown.replace(unknownId, jobId),
                assertProblem(given().delete("/v1/jobs/" + jobId), 404, TYPES + "job-not-found", "/v1/jobs/" + jobId),
                "another tenant's job cannot be stopped, and stopping it reads as stopping no job");

        TestTokens.caller = TestTokens.TENANT_A;
        assertEquals("queued", given().get("/v1/jobs/" + jobId).jsonPath().getString("state"));
        assertTrue(listed(given().get("/v1/jobs?limit=1000")).contains(jobId));
        assertTrue(listed(given().get("/v1/jobs?limit=1000&tenant=tenant-a")).contains(jobId));
    }

    @Test
    void aTenantsListHoldsOnlyItsOwnJobsAndAdminsSeeEveryTenants() {
        TestTokens.caller = TestTokens.TENANT_A;
        String a = submitted();
        TestTokens.caller = TestTokens.TENANT_B;
        String b = submitted();
        awaitKnown(b);

        TestTokens.caller = TestTokens.TENANT_B;
        Response listing = given().get("/v1/jobs?limit=1000");
        assertEquals(200, listing.statusCode(), listing.asString());
        assertTrue(listing.jsonPath().getList("jobs.tenant").stream().allMatch("tenant-b"::equals), listing::asString);
        assertTrue(listed(listing).contains(b));

        TestTokens.caller = TestTokens.ADMIN;
        awaitKnown(a);
        List<String> all = listed(given().get("/v1/jobs?limit=1000"));
        assertTrue(all.containsAll(List.of(a, b)), all::toString);
        List<String> onlyB = listed(given().get("/v1/jobs?limit=1000&tenant=tenant-b"));
        assertTrue(onlyB.contains(b) && !onlyB.contains(a), onlyB::toString);
    }

    @Test
    void aUserAskingForAnotherTenantsListIs403() {
        TestTokens.caller = TestTokens.TENANT_A;

        String detail = assertProblem(given().get("/v1/jobs?tenant=tenant-b"), 403, TYPES + "forbidden", "/v1/jobs");

        assertEquals(
                "only an admin key may list another tenant's jobs; this key acts for tenant tenant-a, not tenant-b",
                detail);
    }

    @Test
    void anotherTenantsTriggerIsUnknownAndCannotBeDeleted() {
        String name = "tenancy-" + UUID.randomUUID();
        TestTokens.caller = TestTokens.TENANT_A;
        Response created = given().contentType("application/json")
                .body(Map.of(
                        "name", name, "topic", name + ".in", "module", CID, "output", Map.of("topic", name + ".out")))
                .post("/v1/triggers");
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals("tenant-a", created.jsonPath().getString("tenant"));

        TestTokens.caller = TestTokens.TENANT_B;
        assertProblem(given().get("/v1/triggers/" + name), 404, TYPES + "trigger-not-found", "/v1/triggers/" + name);
        assertProblem(given().delete("/v1/triggers/" + name), 404, TYPES + "trigger-not-found", "/v1/triggers/" + name);
        assertFalse(
                given().get("/v1/triggers").jsonPath().getList("triggers.name").contains(name));

        TestTokens.caller = TestTokens.TENANT_A;
        assertEquals(200, given().get("/v1/triggers/" + name).statusCode(), "B's delete left A's trigger");
        TestTokens.caller = TestTokens.ADMIN;
        assertTrue(
                given().get("/v1/triggers").jsonPath().getList("triggers.name").contains(name));
        assertEquals(204, given().delete("/v1/triggers/" + name).statusCode());
    }

    private static String submitted() {
        Response accepted = given().contentType("application/json")
                .body(
                        ("{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \""
                                        + CID + "\"}}}]}")
                                .getBytes(StandardCharsets.UTF_8))
                .post("/v1/jobs");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        return accepted.jsonPath().getString("jobID");
    }

    /** The job as the current caller sees it, once this replica has read its queued event. */
    private static Response awaitKnown(String jobId) {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        Response job = given().get("/v1/jobs/" + jobId);
        while (job.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
            job = given().get("/v1/jobs/" + jobId);
        }
        assertEquals(200, job.statusCode(), job.asString());
        return job;
    }

    private static List<String> listed(Response listing) {
        assertEquals(200, listing.statusCode(), listing.asString());
        return listing.jsonPath().getList("jobs.jobID");
    }
}
