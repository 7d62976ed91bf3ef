package dev.cidra.gateway.security;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.TestTokens;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cidra.quotas.result-bytes}, by default and per tenant: a tenant keeping its quota's bytes of unexpired local
 * results is refused its next job with a local result (429 with the usage, the quota's key and {@code Retry-After}
 * until its first result expires), while expired results count no more and jobs publishing elsewhere pass.
 */
@QuarkusTest
@TestProfile(ResultBytesQuotaTest.Quotas.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ResultBytesQuotaTest {
    /** Tenants may keep no local result by default; tenant-a may keep 1,000 bytes. */
    public static final class Quotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cidra.quotas.result-bytes", "0", "cidra.quotas.tenants.\"tenant-a\".result-bytes", "1000");
        }
    }

    private static final String LOCAL_SPEC = "{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\","
            + " \"Params\": {\"EntryModule\": \"bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a\"}},"
            + " \"Publisher\": {\"Type\": \"local\"}}]}";

    @Inject
    ObjectMapper json;

    private KafkaStub executor;

    @BeforeEach
    void stub() {
        executor = new KafkaStub(json, Topics.JOBS);
    }

    @AfterEach
    void close() {
        executor.close();
        TestTokens.caller = TestTokens.ADMIN;
    }

    @Test
    void aTenantAtItsResultBytesIsRefusedLocalResultsUntilTheFirstExpires() {
        TestTokens.caller = TestTokens.TENANT_A;
        Instant now = Instant.now();
        String expired = completed("tenant-a", 1_000_000, now.minusSeconds(1));
        String first = completed("tenant-a", 600, now.plus(Duration.ofHours(1)));
        awaitKept(expired, first);
        assertEquals(202, submit(LOCAL_SPEC).statusCode(), "600 of 1000 bytes kept: an expired result counts no more");

        Instant firstExpiry = now.plus(Duration.ofHours(2));
        String second = completed("tenant-a", 600, firstExpiry);
        awaitKept(second);
        Response refused = submit(LOCAL_SPEC);
        String detail = assertProblem(refused, 429, "tag:cidra.dev,2026:problems/quota-exceeded", "/v1/jobs");
        assertEquals(
                "tenant tenant-a keeps 1200 bytes of local results, at or above the 1000 bytes it may keep"
                        + " (cidra.quotas.tenants.\"tenant-a\".result-bytes); its first result expires at "
                        + now.plus(Duration.ofHours(1)) + ", or publish this job's result to an S3 bucket",
                detail);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 3500 && retryAfter <= 3600, "until the first result expires: " + retryAfter);

        assertEquals(
                202,
                submit(SubmissionRateTest.SPEC).statusCode(),
                "a job keeping no local result is not held to the quota");
    }

    @Test
    void theDefaultQuotaHoldsForTenantsWithoutTheirOwn() {
        TestTokens.caller = TestTokens.TENANT_B;
        Response refused = submit(LOCAL_SPEC);
        String detail = assertProblem(refused, 429, "tag:cidra.dev,2026:problems/quota-exceeded", "/v1/jobs");
        assertEquals(
                "tenant tenant-b keeps 0 bytes of local results, at or above the 0 bytes it may keep"
                        + " (cidra.quotas.result-bytes); publish this job's result to an S3 bucket instead",
                detail);
        assertNull(refused.header("Retry-After"), "nothing expires that would make room");
    }

    /** A job of {@code tenant}, completed with a local result of {@code bytes} expiring at {@code expiresAt}. */
    private String completed(String tenant, long bytes, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        String jobId = "j-" + id;
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var result = new PublishedResult(
                Publisher.LOCAL,
                null,
                null,
                null,
                null,
                null,
                null,
                "http://127.0.0.1:1/v1/results/e-" + id,
                null,
                bytes,
                expiresAt);
        var done = new JobEvent(
                jobId, "e-" + id, "node-1", JobEvent.JobState.COMPLETED, time, 0, "", "", false, false, null, result);
        executor.sendInTransaction(Topics.JOB_EVENTS, jobId, List.of(JobEvent.queued(jobId, time, tenant), done), true);
        return jobId;
    }

    /** Waits until the gateway shows each job completed with its result's size. */
    private static void awaitKept(String... jobIds) {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        for (String jobId : jobIds) {
            while (given().get("/v1/jobs/{id}", jobId).jsonPath().get("result.Bytes") == null
                    && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertTrue(
                    given().get("/v1/jobs/{id}", jobId).jsonPath().get("result.Bytes") != null,
                    "the gateway's view did not catch up with " + jobId);
        }
    }

    private static Response submit(String spec) {
        return given().contentType("application/json").body(spec).post("/v1/jobs");
    }
}
