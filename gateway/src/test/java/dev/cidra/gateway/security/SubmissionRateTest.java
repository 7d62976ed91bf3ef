package dev.cidra.gateway.security;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.TestTokens;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tenant over {@code cidra.quotas.submissions-per-second} gets a 429 with Retry-After; other tenants do not. */
@QuarkusTest
@TestProfile(SubmissionRateTest.OneASecond.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class SubmissionRateTest {
    /** One submission a second per tenant, three at once. */
    public static final class OneASecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cidra.quotas.submissions-per-second", "0.001", "cidra.quotas.submission-burst", "3");
        }
    }

    static final String SPEC = "{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\":"
            + " {\"EntryModule\": \"bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a\"}}}]}";

    @Test
    void aTenantOverItsRateIs429WithRetryAfterAndOthersAreNotSlowed() {
        TestTokens.caller = TestTokens.TENANT_A;
        for (int i = 0; i < 3; i++) {
            assertEquals(202, submit().statusCode(), "within the burst");
        }

        Response refused = submit();

        String detail = assertProblem(refused, 429, "tag:cidra.dev,2026:problems/too-many-submissions", "/v1/jobs");
        assertTrue(detail.startsWith("tenant tenant-a submitted more than"), detail);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 900 && retryAfter <= 1000, "one token takes 1000 s at 0.001/s: " + retryAfter);

        TestTokens.caller = TestTokens.TENANT_B;
        assertEquals(202, submit().statusCode(), "tenant-b has its own allowance");
    }

    private static Response submit() {
        return given().contentType("application/json").body(SPEC).post("/v1/jobs");
    }
}
