package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static dev.cidra.gateway.http.FunctionsResourceTest.awaitJob;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Job events come from Kafka, where anyone who may write {@code cidra.job-events} can forge them: the result location
 * a completed event names is read only where the gateway's own knowledge of the job allows, and nothing is fetched
 * from anywhere else.
 */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ForgedEventsTest {
    static final String TYPES = "tag:cidra.dev,2026:problems/";
    static final String CID = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a";

    @Inject
    ObjectMapper json;

    @Inject
    GatewayConfig config;

    private KafkaStub executor;
    private HttpServer internal;
    private final AtomicInteger fetched = new AtomicInteger();

    /** An "internal service" on loopback that counts every request made to it. */
    @BeforeEach
    void start() throws IOException {
        executor = new KafkaStub(json, Topics.JOBS);
        internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            fetched.incrementAndGet();
            byte[] secret = "internal secret".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, secret.length);
            try (var body = exchange.getResponseBody()) {
                body.write(secret);
            }
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        executor.close();
        internal.stop(0);
    }

    @Test
    void aForgedLocalResultUrlIsNeverFetched() {
        String base = "http://127.0.0.1:" + internal.getAddress().getPort();
        assertRefused(
                jobId -> PublishedResult.local(base + "/steal", null, null, null),
                "its URL is not the executor's address of this job's execution");
        assertRefused(
                jobId -> PublishedResult.local(
                        "http://10.9.8.7:8081/v1/results/e-" + jobId.substring(2), null, null, null),
                "its URL names 10.9.8.7, which is in none of the executors' networks (cidra.auth.executor-networks)");
        assertEquals(0, fetched.get(), "the gateway sent a request where a forged event pointed");
    }

    @Test
    void aForgedS3ResultOnThePlatformsBucketOrAnotherEndpointIsNeverRead() {
        String modules = config.registry().bucket();
        assertRefused(
                jobId -> new PublishedResult("s3", modules, "modules/" + jobId, null, null, null, null, null, null),
                "bucket " + modules + " holds the platform's own state (modules, execution markers): no job may write"
                        + " it, so s3://" + modules + "/modules/%s is refused");
        String endpoint = "http://127.0.0.1:" + internal.getAddress().getPort();
        assertRefused(
                jobId -> new PublishedResult("s3", "data", "r/" + jobId, null, endpoint, null, null, null, null),
                "Endpoint \"" + endpoint + "\" is not an S3 endpoint the operator allows: requests to it would carry"
                        + " the platform's credentials (allowed: the platform's own and cidra.job-storage.endpoints)");
        assertRefused(
                jobId -> new PublishedResult(
                        "s3", "data", "another-job/result.tar.gz", null, null, null, null, null, null),
                "its key another-job/result.tar.gz names neither the job nor its execution");
        assertEquals(0, fetched.get());
    }

    /** Submits a job, forges its COMPLETED event with {@code result}, and expects its outputs refused. */
    private void assertRefused(Function<String, PublishedResult> result, String reason) {
        Response accepted = given().contentType("application/json")
                .body("{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \""
                        + CID + "\"}}}]}")
                .post("/v1/jobs");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String jobId = accepted.jsonPath().getString("jobID");
        var forged = new JobEvent(
                jobId,
                "e-" + jobId.substring(2),
                "node-forged",
                JobEvent.JobState.COMPLETED,
                Instant.now(),
                0,
                "",
                "",
                false,
                false,
                null,
                result.apply(jobId));
        executor.sendInTransaction(Topics.JOB_EVENTS, jobId, List.of(forged), true);
        awaitJob(jobId, "completed");

        String path = "/v1/jobs/" + jobId + "/outputs";
        String detail = assertProblem(given().get(path), 502, TYPES + "result-unavailable", path);

        assertEquals(
                "job " + jobId + " names a result the gateway does not read: " + reason.replace("%s", jobId), detail);
    }
}
