package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.Deterministic;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.TestTokens;
import dev.cidra.gateway.WasmFixtures;
import dev.cidra.gateway.messaging.InvocationChannel;
import dev.cidra.registry.Cid;
import dev.cidra.registry.testing.S3ProxyResource;
import dev.cidra.registry.testing.TestContent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synchronous invocations; the test plays the executor on Kafka. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class FunctionsResourceTest {
    private static final String TYPES = "tag:cidra.dev,2026:problems/";

    @Inject
    ObjectMapper json;

    @Inject
    InvocationChannel channel;

    @TestHTTPResource("/v1/functions/")
    URI functions;

    private KafkaStub executor;
    private final String cid = Cid.rawOf(WasmFixtures.uniqueLib()).toString();

    private KafkaStub events;

    @BeforeEach
    void executor() {
        executor = new KafkaStub(json, Topics.INVOCATIONS);
        events = new KafkaStub(json, Topics.JOB_EVENTS);
    }

    @AfterEach
    void close() {
        executor.close();
        events.close();
    }

    @Test
    void anExitedGuestAnswersWithItsStdoutAndHeaders() {
        byte[] stdin = {0, 1, 2, (byte) 0xff, 'x'};
        Instant sent = Instant.now();
        var call = async(() -> given().body(stdin)
                .contentType("application/octet-stream")
                .queryParam("arg", "one", "two words")
                .queryParam("env", "A=1", "B=x=y")
                .queryParam("entrypoint", "run")
                .queryParam("timeout", "7s")
                .queryParam("memory", "2Mi")
                .post("/v1/functions/{cid}/invoke", cid));
        Received received = receive();
        InvocationRequest request = received.request();
        assertEquals(List.of("one", "two words"), request.args());
        assertEquals(Map.of("A", "1", "B", "x=y"), request.env());
        assertArrayEquals(stdin, request.stdin());
        assertEquals("run", request.entrypoint());
        assertEquals(7000, request.timeoutMillis());
        assertEquals(2L << 20, request.memoryBytes());
        assertEquals(cid, request.moduleCid());
        assertNull(request.replyTo());
        assertTrue(request.jobId().startsWith("j-"), request.jobId());
        assertEquals(request.jobId(), KafkaStub.header(received.record(), Topics.CORRELATION_ID));
        // The end of the gateway's wait: the timeout plus the default reply-wait-slack of 5 s.
        assertTrue(
                !request.replyBy().isBefore(sent.plusSeconds(12))
                        && !request.replyBy().isAfter(Instant.now().plusSeconds(12)),
                "replyBy " + request.replyBy() + " is 12 s after the call at " + sent);

        byte[] stderr = "warn: é\r\n100%".getBytes(StandardCharsets.UTF_8);
        reply(received, InvocationReply.Status.EXITED, 3, "out\0put".getBytes(StandardCharsets.UTF_8), stderr);
        Response response = call.join();

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/octet-stream", response.contentType());
        assertArrayEquals("out\0put".getBytes(StandardCharsets.UTF_8), response.asByteArray());
        assertEquals(request.jobId(), response.header("Cidra-Job-Id"));
        assertEquals(request.executionKey(), response.header("Cidra-Execution-Id"));
        assertEquals("3", response.header("Cidra-Exit-Code"));
        assertEquals("node-1", response.header("Cidra-Node-Id"));
        assertEquals("false", response.header("Cidra-Stdout-Truncated"));
        assertEquals("warn: %C3%A9%0D%0A100%25", response.header("Cidra-Stderr"));
        assertEquals("false", response.header("Cidra-Stderr-Truncated"));
        assertEquals("1234", response.header("Cidra-Duration-Micros"));
        assertNull(request.deterministic(), "live entropy unless asked");
    }

    @Test
    void theReplyIsReadFromThisReplicasOwnPartitionOnly() {
        var call = invokeAsync();
        Received received = receive();
        int own = received.request().replyPartition();
        assertEquals(channel.replyPartition(), own, "every request names the partition its replica reads");

        int other = (own + 1) % KafkaResource.PARTITIONS;
        reply(received, other, InvocationReply.Status.EXITED, 0, "elsewhere".getBytes(), new byte[0], null);
        reply(received, own, InvocationReply.Status.EXITED, 0, "here".getBytes(), new byte[0], null);

        assertEquals("here", call.join().asString(), "another replica's partition is not read");
    }

    @Test
    void aDeterministicCallCarriesItsSeedToTheExecutor() {
        var call = async(() -> given().queryParam("deterministic", "true")
                .queryParam("randomSeed", "-7")
                .post("/v1/functions/{cid}/invoke", cid));
        Received received = receive();
        assertEquals(new Deterministic(-7L), received.request().deterministic());
        reply(received, InvocationReply.Status.EXITED, 0, new byte[0], new byte[0]);
        assertEquals(200, call.join().statusCode());

        call = async(() -> given().queryParam("deterministic", "true").post("/v1/functions/{cid}/invoke", cid));
        received = receive();
        assertEquals(new Deterministic(null), received.request().deterministic(), "the seed comes from the inputs");
        reply(received, InvocationReply.Status.EXITED, 0, new byte[0], new byte[0]);
        assertEquals(200, call.join().statusCode());
    }

    @Test
    void aBadDeterministicFlagOrSeedIsA400() {
        String path = "/v1/functions/" + cid + "/invoke";
        assertEquals(
                "deterministic must be true or false, not \"yes\"",
                assertProblem(
                        given().queryParam("deterministic", "yes").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "randomSeed seeds a deterministic run only: add deterministic=true",
                assertProblem(given().queryParam("randomSeed", "1").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "randomSeed must be a whole number, not \"x\"",
                assertProblem(
                        given().queryParam("deterministic", "true")
                                .queryParam("randomSeed", "x")
                                .post(path),
                        400,
                        TYPES + "invalid-request",
                        path));
    }

    @Test
    void theRequestRecordContinuesTheCallersTrace() {
        String traceId = HexFormat.of().formatHex(TestContent.random(16, 21));
        String callerSpanId = HexFormat.of().formatHex(TestContent.random(8, 22));
        var call = async(() -> given().header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .post("/v1/functions/{cid}/invoke", cid));
        Received received = receive();
        var traceparent = KafkaStub.header(received.record(), "traceparent").split("-");
        assertEquals(traceId, traceparent[1]);
        assertNotEquals(callerSpanId, traceparent[2], "the record names the gateway's span, not the caller's");
        reply(received, InvocationReply.Status.EXITED, 0, new byte[0], new byte[0]);
        assertEquals(200, call.join().statusCode());
    }

    @Test
    void aLongStderrIsCutInTheHeader() {
        var call = invokeAsync();
        reply(
                receive(),
                InvocationReply.Status.EXITED,
                0,
                new byte[0],
                "e".repeat(5000).getBytes());
        Response response = call.join();

        assertEquals(200, response.statusCode());
        assertEquals("e".repeat(1024), response.header("Cidra-Stderr"));
        assertEquals("true", response.header("Cidra-Stderr-Truncated"));
    }

    @Test
    void theFirstReplyWinsAndDuplicatesAreIgnored() {
        var call = invokeAsync();
        var received = receive();
        reply(received, InvocationReply.Status.EXITED, 0, "first".getBytes(), new byte[0]);
        reply(received, InvocationReply.Status.EXITED, 0, "second".getBytes(), new byte[0]);

        assertEquals("first", call.join().asString());
        Response job = awaitJob(received.request().jobId(), "completed");
        assertEquals("first", job.jsonPath().getString("executions[0].stdout"));
    }

    @Test
    void failuresAreProblemsWithTheJob() {
        for (var status : List.of(
                InvocationReply.Status.TRAPPED,
                InvocationReply.Status.TIMED_OUT,
                InvocationReply.Status.REJECTED,
                InvocationReply.Status.UNDELIVERABLE,
                InvocationReply.Status.EXPIRED)) {
            var call = invokeAsync();
            var received = receive();
            int exitCode =
                    switch (status) {
                        case TRAPPED -> 134;
                        case TIMED_OUT, EXPIRED -> 124;
                        case UNDELIVERABLE -> 0;
                        default -> 125;
                    };
            reply(received, status, exitCode, new byte[0], new byte[0], "because " + status);
            Response response = call.join();

            int httpStatus =
                    switch (status) {
                        case TRAPPED, UNDELIVERABLE -> 502;
                        case TIMED_OUT, EXPIRED -> 504;
                        default -> 422;
                    };
            String type =
                    switch (status) {
                        case TRAPPED -> "guest-trapped";
                        case TIMED_OUT -> "guest-timed-out";
                        case UNDELIVERABLE -> "reply-undeliverable";
                        case EXPIRED -> "call-expired";
                        default -> "module-rejected";
                    };
            assertEquals(httpStatus, response.statusCode(), response.asString());
            assertEquals("application/problem+json", response.contentType());
            assertEquals(TYPES + type, response.jsonPath().getString("type"));
            assertEquals("because " + status, response.jsonPath().getString("detail"));
            assertEquals(received.request().jobId(), response.jsonPath().getString("jobId"));
            assertEquals(exitCode, response.jsonPath().getInt("exitCode"));
            assertEquals("node-1", response.jsonPath().getString("nodeId"));
            Response job = awaitJob(received.request().jobId(), "failed");
            assertTrue(
                    job.jsonPath().getString("executions[0].error").endsWith("because " + status),
                    "the call's job ends failed with the reason, not queued: " + job.asString());
        }
    }

    @Test
    void noReplyInTimeIsA504AndTheLateReplyShowsInTheJob() {
        Response response = given().queryParam("timeout", "100ms").post("/v1/functions/{cid}/invoke", cid);

        assertEquals(504, response.statusCode(), response.asString());
        assertEquals(TYPES + "no-reply", response.jsonPath().getString("type"));
        String jobId = response.jsonPath().getString("jobId");
        assertTrue(response.header("Location").endsWith("/v1/jobs/" + jobId), response.header("Location"));
        assertEquals("queued", given().get("/v1/jobs/{id}", jobId).jsonPath().getString("state"));

        var received = receive();
        var request = received.request();
        assertEquals(jobId, request.jobId());
        reply(received, InvocationReply.Status.EXITED, 0, "late".getBytes(), "oops".getBytes());

        Response job = awaitJob(jobId, "completed");
        JobEvent end = events.awaitValue(
                JobEvent.class, e -> e.jobId().equals(jobId) && e.state().terminal());
        assertEquals("late", end.stdout(), "the late reply is the job's end on every replica");
        assertEquals(request.executionKey(), job.jsonPath().getString("executions[0].executionID"));
        assertEquals("node-1", job.jsonPath().getString("executions[0].nodeID"));
        assertEquals("late", job.jsonPath().getString("executions[0].stdout"));
        assertEquals("oops", job.jsonPath().getString("executions[0].stderr"));
        assertEquals(0, job.jsonPath().getInt("executions[0].exitCode"));
    }

    @Test
    void aMalformedCidIsA400NamingTheRule() {
        String detail = assertProblem(
                given().post("/v1/functions/{cid}/invoke", "Qmtooshort"),
                400,
                TYPES + "invalid-cid",
                "/v1/functions/Qmtooshort/invoke");

        assertTrue(detail.startsWith("CIDv0 'Qmtooshort' has 10 characters"), detail);
    }

    @Test
    void badParametersAre400sNamingThem() {
        String path = "/v1/functions/" + cid + "/invoke";
        assertEquals(
                "env[1] \"NOVALUE\" must be NAME=value",
                assertProblem(
                        given().queryParam("env", "A=1", "NOVALUE").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "env[0] \"=x\" has an empty name",
                assertProblem(given().queryParam("env", "=x").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "timeout must be a duration such as 5s, 500ms, 2m or PT5S, not \"soon\"",
                assertProblem(given().queryParam("timeout", "soon").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "timeout 1h is above the limit of PT5M",
                assertProblem(given().queryParam("timeout", "1h").post(path), 400, TYPES + "invalid-request", path));
        assertEquals(
                "memory 1Ki (1024 bytes) must be between 64Ki (65536 bytes) and 4Gi (4294967296 bytes)",
                assertProblem(given().queryParam("memory", "1Ki").post(path), 400, TYPES + "invalid-request", path));
    }

    @Test
    void stdinOverTheLimitIsA413() {
        String path = "/v1/functions/" + cid + "/invoke";
        String detail = assertProblem(
                given().body(new byte[524_289])
                        .contentType("application/octet-stream")
                        .post(path),
                413,
                TYPES + "body-too-large",
                path);

        assertEquals("the request body (the guest's stdin) has 524289 bytes, above the limit of 524288 bytes", detail);
    }

    @Test
    void aChunkedStdinLargerThanTheHttpLayersBufferArrivesWhole() throws Exception {
        byte[] stdin = new byte[300 * 1024];
        new Random(13).nextBytes(stdin);
        var call = CompletableFuture.supplyAsync(() -> postChunked(stdin));
        Received received = receive();

        assertArrayEquals(stdin, received.request().stdin());
        reply(received, InvocationReply.Status.EXITED, 0, "ok".getBytes(StandardCharsets.UTF_8), new byte[0]);
        HttpResponse<String> response = call.join();
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("ok", response.body());
    }

    @Test
    void aChunkedStdinOverTheLimitIsA413() {
        HttpResponse<String> response = postChunked(new byte[524_289]);

        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "the request body (the guest's stdin) has more than 524288 bytes, above the limit of 524288 bytes",
                JsonPath.from(response.body()).getString("detail"));
    }

    @Test
    void aStdinOverTheLimitCountsAsAnInvalidInvocation() {
        double before = invalidInvocations();
        postChunked(new byte[524_289]);
        given().body(new byte[524_289]).contentType("application/octet-stream").post("/v1/functions/{cid}/invoke", cid);

        assertEquals(before + 2, invalidInvocations());
    }

    private static double invalidInvocations() {
        String prefix = "cidra_gateway_invocations_total{outcome=\"invalid\"";
        return given().accept("text/plain")
                .get("/q/metrics")
                .asString()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aUriOverTheLimitIsA414Problem() {
        String path = "/v1/functions/" + cid + "/invoke";
        String detail =
                assertProblem(given().queryParam("arg", "x".repeat(1 << 20)).post(path), 414, "about:blank", path);
        assertTrue(detail.startsWith("the request URI has 1048"), detail);
        assertTrue(
                detail.endsWith("above the limit of 65536: pass large arguments, environments or stdin in a job"
                        + " spec (POST /v1/jobs) or the request body"),
                detail);

        var env = given();
        for (int i = 0; i < 10_000; i++) {
            env = env.queryParam("env", "V" + i + "=1");
        }
        assertProblem(env.post(path), 414, "about:blank", path);
    }

    @Test
    void metricsCountInvocationsByOutcome() {
        given().queryParam("env", "bad").post("/v1/functions/{cid}/invoke", cid);
        String metrics = given().accept("text/plain").get("/q/metrics").asString();

        assertTrue(metrics.contains("cidra_gateway_invocations_total{outcome=\"invalid\""), metrics);
        assertTrue(metrics.contains("cidra_gateway_invocation_duration_seconds_count{outcome=\"exited\""), metrics);
    }

    /** An invocation request as the executor received it: the record, for its headers, and what it decodes to. */
    private record Received(ConsumerRecord<byte[], byte[]> record, InvocationRequest request) {}

    /** Awaits the next invocation request of {@link #cid} on Kafka, as the executor would receive it. */
    private Received receive() {
        var record = executor.await(r -> KafkaStub.key(r).equals(cid));
        return new Received(record, executor.decode(record, InvocationRequest.class));
    }

    private void reply(Received received, InvocationReply.Status status, int exitCode, byte[] stdout, byte[] stderr) {
        reply(received, status, exitCode, stdout, stderr, null);
    }

    private void reply(
            Received received,
            InvocationReply.Status status,
            int exitCode,
            byte[] stdout,
            byte[] stderr,
            String error) {
        reply(received, received.request().replyPartition(), status, exitCode, stdout, stderr, error);
    }

    /**
     * Replies to {@code received} on {@code partition} of the reply topic as node {@code node-1} would, with the
     * request's correlation id.
     */
    private void reply(
            Received received,
            int partition,
            InvocationReply.Status status,
            int exitCode,
            byte[] stdout,
            byte[] stderr,
            String error) {
        var request = received.request();
        executor.sendTo(
                new TopicPartition(Topics.REPLIES, partition),
                request.jobId(),
                new InvocationReply(
                        request.jobId(),
                        request.executionKey(),
                        "node-1",
                        status,
                        exitCode,
                        stdout,
                        stderr,
                        false,
                        false,
                        error,
                        1234),
                Map.of(Topics.CORRELATION_ID, KafkaStub.header(received.record(), Topics.CORRELATION_ID)));
    }

    /** Invokes {@link #cid} with {@code stdin} sent chunked (HTTP/1.1, no Content-Length). */
    private HttpResponse<String> postChunked(byte[] stdin) {
        try (var client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var request = HttpRequest.newBuilder(functions.resolve(cid + "/invoke"))
                    .header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(stdin)))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Invokes {@link #cid} with no parameters; the response once the gateway answers. */
    private CompletableFuture<Response> invokeAsync() {
        return async(() -> given().post("/v1/functions/{cid}/invoke", cid));
    }

    private static CompletableFuture<Response> async(Supplier<Response> call) {
        return CompletableFuture.supplyAsync(call);
    }

    /** The job, polled until it is in {@code state}. */
    static Response awaitJob(String jobId, String state) {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        Response job = given().get("/v1/jobs/{id}", jobId);
        while (!(job.statusCode() == 200 && state.equals(job.jsonPath().getString("state")))
                && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
            job = given().get("/v1/jobs/{id}", jobId);
        }
        assertEquals(state, job.jsonPath().getString("state"), job.asString());
        return job;
    }
}
