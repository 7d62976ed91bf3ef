package dev.cidra.gateway.security;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobEvent;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant with {@code cidra.quotas.concurrent-jobs} unfinished jobs is refused the next one with a precise 429, until
 * one of its jobs finishes.
 */
@QuarkusTest
@TestProfile(ConcurrentJobsQuotaTest.TwoAtOnce.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ConcurrentJobsQuotaTest {
    /** Two unfinished jobs per tenant. */
    public static final class TwoAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cidra.quotas.concurrent-jobs", "2");
        }
    }

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
    }

    @Test
    void aTenantAtItsConcurrentJobsIsRefusedUntilOneFinishes() {
        TestTokens.caller = TestTokens.TENANT_A;
        // Jobs other test classes left unfinished on the shared Kafka count too: finish them first.
        for (String state : List.of("queued", "running", "publishing")) {
            for (String jobId : given().queryParam("state", state)
                    .queryParam("limit", 1000)
                    .get("/v1/jobs")
                    .jsonPath()
                    .getList("jobs.jobID", String.class)) {
                finish(jobId);
            }
        }
        awaitUntil(() ->
                given().queryParam("state", "queued").get("/v1/jobs").jsonPath().getInt("total") == 0);

        var accepted = new ArrayList<String>();
        for (int i = 0; i < 2; i++) {
            Response job = submit();
            assertEquals(202, job.statusCode(), job.asString());
            accepted.add(job.jsonPath().getString("jobID"));
        }

        String detail = assertProblem(submit(), 429, "tag:cidra.dev,2026:problems/quota-exceeded", "/v1/jobs");
        assertEquals(
                "tenant tenant-a has 2 unfinished jobs, the most it may have at once (cidra.quotas.concurrent-jobs:"
                        + " 2); submit again once one has finished",
                detail);

        finish(accepted.getFirst());
        awaitUntil(() -> "failed"
                .equals(given().get("/v1/jobs/{id}", accepted.getFirst())
                        .jsonPath()
                        .getString("state")));
        assertEquals(202, submit().statusCode(), "a finished job makes room");
    }

    private void finish(String jobId) {
        var failed = new JobEvent(
                jobId,
                "e-" + jobId.substring(2),
                "node-1",
                JobEvent.JobState.FAILED,
                Instant.now(),
                1,
                "",
                "",
                false,
                false,
                "finished by the test",
                null);
        executor.sendInTransaction(Topics.JOB_EVENTS, jobId, List.of(failed), true);
    }

    private static void awaitUntil(Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        while (!condition.get() && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertEquals(true, condition.get(), "the gateway's view did not catch up");
    }

    private static Response submit() {
        return given().contentType("application/json")
                .body(SubmissionRateTest.SPEC)
                .post("/v1/jobs");
    }
}
