package dev.cidra.executor.service;

import static dev.cidra.executor.service.FlowFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.Topics;
import dev.cidra.registry.Cid;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Requests through a real in-process Kafka broker, modules from a real S3Proxy. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class InvocationFlowTest {
    private static final Path CONFORMANCE = Path.of(System.getProperty("conformance.dir"));

    @Inject
    ObjectMapper json;

    @Inject
    FlowFixture fixture;

    @Inject
    Admin admin;

    @Inject
    dev.cidra.executor.service.config.ExecutorConfig config;

    @TestHTTPResource("/q/health/live")
    URI live;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject
    dev.cidra.executor.service.execution.Guests guests;

    @Test
    void aReplyGoesToThePartitionItsRequestNames() throws Exception {
        var cid = upload(CONFORMANCE.resolve("hello/module.wasm"));
        int partitions = admin.describeTopics(List.of(Topics.REPLIES))
                .allTopicNames()
                .get()
                .get(Topics.REPLIES)
                .partitions()
                .size();
        for (int partition = 0; partition < partitions; partition++) {
            var jobId = "job-" + UUID.randomUUID();
            var request = new InvocationRequest(
                    jobId,
                    null,
                    cid.toString(),
                    null,
                    null,
                    null,
                    null,
                    16L << 20,
                    30_000,
                    null,
                    null,
                    null,
                    partition);

            var reply = call(jobId, json.writeValueAsBytes(request), "corr-partition");

            assertEquals(partition, reply.partition(), "the reply partition of " + jobId);
        }
    }

    @Test
    void theNodeAnnouncesItselfWithWhatItHoldsLinked() throws Exception {
        var cid = upload(CONFORMANCE.resolve("hello/module.wasm"));
        var jobId = "job-" + UUID.randomUUID();
        var request =
                new InvocationRequest(jobId, null, cid.toString(), null, null, null, null, 16L << 20, 30_000, null);
        call(jobId, json.writeValueAsBytes(request), "corr-node");

        var deadline = java.time.Instant.now().plus(FlowFixture.WAIT);
        try (var consumer = fixture.consumer(Topics.NODES)) {
            while (java.time.Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    var node = json.readValue(record.value(), dev.cidra.contract.NodeInfo.class);
                    assertEquals(guests.nodeId(), new String(record.key(), StandardCharsets.UTF_8));
                    assertEquals("COMPILED", node.engineMode());
                    assertEquals(guests.concurrency(), node.slots());
                    if (node.linkedModules().contains(cid.toString())) {
                        assertTrue(node.cache().misses() >= 1, "linking it was a cache miss: " + node.cache());
                        assertTrue(node.cache().bytes() > 0, "the cache holds its bytes: " + node.cache());
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no announcement on cidra.nodes lists " + cid + " as linked");
    }

    @Test
    void deterministicCallsPrintTheSameBytesAndLiveOnesDoNot() throws Exception {
        byte[] module;
        try (var in = InvocationFlowTest.class.getResourceAsStream("/jobs/entropy.wasm")) {
            module = in.readAllBytes();
        }
        var cid = fixture.upload(module);
        var outputs = new java.util.ArrayList<byte[]>();
        for (var deterministic : new dev.cidra.contract.Deterministic[] {
            new dev.cidra.contract.Deterministic(3L), new dev.cidra.contract.Deterministic(3L), null, null
        }) {
            var jobId = "job-" + UUID.randomUUID();
            var request = new InvocationRequest(
                    jobId,
                    null,
                    cid.toString(),
                    null,
                    null,
                    null,
                    null,
                    16L << 20,
                    30_000,
                    null,
                    deterministic,
                    null,
                    null);
            var reply = json.readValue(
                    call(jobId, json.writeValueAsBytes(request), jobId).value(), InvocationReply.class);
            assertEquals(InvocationReply.Status.EXITED, reply.status(), reply.error());
            assertEquals(32, reply.stdout().length, "two clocks and 16 random bytes");
            outputs.add(reply.stdout());
        }
        assertArrayEquals(outputs.get(0), outputs.get(1), "two deterministic calls: the same clocks and random bytes");
        assertFalse(java.util.Arrays.equals(outputs.get(2), outputs.get(3)), "two live calls differ");
    }

    @Test
    void healthSaysWhatRunsAndMetricsCountEveryOutcome() throws Exception {
        var cid = upload(CONFORMANCE.resolve("hello/module.wasm"));
        var jobId = "job-" + UUID.randomUUID();
        var request =
                new InvocationRequest(jobId, null, cid.toString(), null, null, null, null, 16L << 20, 30_000, null);
        call(jobId, json.writeValueAsBytes(request), "corr-health");

        try (var http = HttpClient.newHttpClient()) {
            var liveness = http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, liveness.statusCode(), liveness.body());
            var consumers = check(json.readTree(liveness.body()), "kafka-consumers");
            assertEquals("UP", consumers.path("status").asText());
            assertEquals("consuming", consumers.path("data").path("requests").asText());
            assertEquals("consuming", consumers.path("data").path("jobs").asText());

            var readiness = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, readiness.statusCode(), readiness.body());
            var body = json.readTree(readiness.body());
            for (String name : List.of("wasm-engine", "module-storage", "kafka")) {
                assertEquals("UP", check(body, name).path("status").asText(), name);
            }
            assertEquals(
                    "COMPILED",
                    check(body, "wasm-engine").path("data").path("mode").asText());

            var scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertTrue(value(scrape.body(), "cidra_invocations_total", "outcome=\"exited\"") > 0, scrape.body());
            assertTrue(scrape.body().contains("cidra_invocation_duration_seconds_count"), scrape.body());
        }
    }

    @Test
    void phasesAreTimedAndTheLinkedModuleCacheMissesOnceThenHits() throws Exception {
        var cid = fixture.upload(uniqueModule("hello"));
        var before = scrape();
        for (int call = 1; call <= 2; call++) {
            var jobId = "job-" + UUID.randomUUID();
            var request =
                    new InvocationRequest(jobId, null, cid.toString(), null, null, null, null, 16L << 20, 30_000, null);
            var reply = json.readValue(
                    call(jobId, json.writeValueAsBytes(request), null).value(), InvocationReply.class);
            assertEquals(InvocationReply.Status.EXITED, reply.status(), reply.error());
            var after = scrape();
            // The first call finds neither cache holding the module; the second finds it linked and fetches nothing.
            assertEquals(call == 1 ? 1 : 0, delta(before, after, LINKED_MISS), "linked misses after call " + call);
            assertEquals(call == 1 ? 0 : 1, delta(before, after, LINKED_HIT), "linked hits after call " + call);
            assertEquals(call == 1 ? 1 : 0, delta(before, after, REGISTRY_STORE), "loads from S3 after call " + call);
            before = after;
        }
        // Both calls went through every phase; the reply is read before its acknowledgement is timed, hence the wait.
        String last = awaitScrape(body -> List.of("queue", "fetch", "link", "run", "publish").stream()
                .allMatch(phase -> value(
                                body,
                                "cidra_phase_duration_seconds_count",
                                "kind=\"invocation\"",
                                "phase=\"" + phase + "\"")
                        >= 2));
        assertTrue(
                last.lines()
                        .anyMatch(line -> line.startsWith("cidra_phase_duration_seconds_bucket{")
                                && line.contains("kind=\"invocation\"")
                                && line.contains("le=\"")),
                last);
        assertEquals(1.0, value(last, "cidra_engine_mode", "mode=\"compiled\""));
        assertEquals(0.0, value(last, "cidra_engine_mode", "mode=\"interpreted\""));
        assertTrue(value(last, "cidra_module_cache_size_bytes", "cache=\"linked\"") > 0, last);
        assertTrue(last.contains("kafka_consumer_fetch_manager_records_lag_max{"), last);
        Files.createDirectories(EVIDENCE.getParent());
        Files.writeString(EVIDENCE, last);
    }

    @Test
    void theReplyContinuesTheTraceOfTheRequestRecord() throws Exception {
        var cid = upload(CONFORMANCE.resolve("hello/module.wasm"));
        var jobId = "job-" + UUID.randomUUID();
        var request =
                new InvocationRequest(jobId, null, cid.toString(), null, null, null, null, 16L << 20, 30_000, null);
        String traceId = hex(16);
        String parentSpanId = hex(8);
        fixture.send(
                Topics.INVOCATIONS,
                "bafk-key",
                json.writeValueAsBytes(request),
                Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));
        var reply = fixture.await(Topics.REPLIES, jobId);
        var traceparent = header(reply, "traceparent").split("-");
        assertEquals(traceId, traceparent[1]);
        assertNotEquals(parentSpanId, traceparent[2], "the reply names the executor's span, not the caller's");
        assertEquals("01", traceparent[3]);
    }

    private static final String LINKED_MISS = "cidra_module_cache_requests_total{cache=\"linked\",result=\"miss\"}";
    private static final String LINKED_HIT = "cidra_module_cache_requests_total{cache=\"linked\",result=\"hit\"}";
    private static final String REGISTRY_STORE =
            "cidra_module_cache_requests_total{cache=\"registry\",result=\"store\"}";
    private static final Path EVIDENCE = Path.of("target", "observability", "executor-metrics.txt");

    /** A copy of a conformance module with a custom section of its own, so that no other test has cached it. */
    private static byte[] uniqueModule(String name) throws IOException {
        byte[] module = Files.readAllBytes(CONFORMANCE.resolve(name).resolve("module.wasm"));
        byte[] sectionName = ("cidra-test-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0); // custom section
        out.write(1 + sectionName.length); // its size (under 128: one LEB128 byte)
        out.write(sectionName.length);
        out.writeBytes(sectionName);
        return out.toByteArray();
    }

    private static String hex(int bytes) {
        var random = new byte[bytes];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    private String scrape() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return response.body();
        }
    }

    /** Scrapes until {@code ready} holds, for at most {@link FlowFixture#WAIT}; returns the last scrape. */
    private String awaitScrape(java.util.function.Predicate<String> ready) throws Exception {
        var deadline = java.time.Instant.now().plus(FlowFixture.WAIT);
        String body = scrape();
        while (!ready.test(body) && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            body = scrape();
        }
        assertTrue(ready.test(body), body);
        return body;
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /**
     * The value of the one sample line starting with {@code series} (name and labels) and containing every part: the
     * number after the labels (an exemplar, {@code # {trace_id=...} value timestamp}, may follow it).
     */
    private static double value(String scrape, String series, String... parts) {
        var values = scrape.lines()
                .filter(line -> line.startsWith(series.contains("{") ? series : series + "{"))
                .filter(line -> List.of(parts).stream().allMatch(line::contains))
                .map(line -> Double.parseDouble(
                        line.substring(line.indexOf("} ") + 2).split(" ")[0]))
                .toList();
        assertEquals(1, values.size(), series + " " + List.of(parts) + " in\n" + scrape);
        return values.getFirst();
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no health check named " + name + " in " + health);
    }

    @Test
    void moduleFromS3RunsAndRepliesWithItsOutput() throws Exception {
        var cid = upload(CONFORMANCE.resolve("args/module.wasm"));
        var args = Files.readAllLines(CONFORMANCE.resolve("args/args"), StandardCharsets.UTF_8);
        var jobId = "job-" + UUID.randomUUID();
        var request =
                new InvocationRequest(jobId, null, cid.toString(), null, args, Map.of(), null, 16L << 20, 30_000, null);
        var reply = call(jobId, json.writeValueAsBytes(request), "corr-1");
        var value = json.readValue(reply.value(), InvocationReply.class);
        assertEquals(InvocationReply.Status.EXITED, value.status(), value.error());
        assertEquals(0, value.exitCode());
        // argv[0] is the module's name, here its CID; then one argument per line.
        assertEquals(cid + "\n" + String.join("\n", args) + "\n", new String(value.stdout(), StandardCharsets.UTF_8));
        assertEquals(jobId, value.executionId());
        assertFalse(value.stdoutTruncated());
        assertEquals("corr-1", header(reply, Topics.CORRELATION_ID));
    }

    @Test
    void badModuleCidIsRejectedWithTheReason() throws Exception {
        var jobId = "job-" + UUID.randomUUID();
        var request =
                new InvocationRequest(jobId, "exec-1", "bafynotacid", null, null, null, null, 65_536, 1_000, null);
        var reply = call(jobId, json.writeValueAsBytes(request), null);
        var value = json.readValue(reply.value(), InvocationReply.class);
        assertEquals(InvocationReply.Status.REJECTED, value.status());
        assertEquals(125, value.exitCode());
        assertTrue(value.error().startsWith("moduleCid: ") && value.error().contains("bafynotacid"), value.error());
        assertEquals("exec-1", value.executionId());
        assertEquals("exec-1", header(reply, Topics.CORRELATION_ID));
    }

    @Test
    void aRequestTakenAfterItsCallerStoppedWaitingIsNotRunAndRepliesExpired() throws Exception {
        var cid = upload(CONFORMANCE.resolve("infinite-loop/module.wasm"));
        var jobId = "job-" + UUID.randomUUID();
        var gaveUp = java.time.Instant.now().minusSeconds(60);
        var request = new InvocationRequest(
                jobId, "exec-late", cid.toString(), null, null, null, null, 1L << 20, 300, null, null, gaveUp, null);
        var value = json.readValue(
                call(jobId, json.writeValueAsBytes(request), null).value(), InvocationReply.class);
        // Run, this guest would have timed out.
        assertEquals(InvocationReply.Status.EXPIRED, value.status(), value.error());
        assertEquals(InvocationReply.EXPIRED_EXIT_CODE, value.exitCode());
        assertEquals("exec-late", value.executionId());
        assertTrue(
                value.error().startsWith("not run: taken at ") && value.error().contains("(" + gaveUp + ")"),
                value.error());
        try (var http = HttpClient.newHttpClient()) {
            var scraped = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(value(scraped.body(), "cidra_invocations_total", "outcome=\"expired\"") >= 1, scraped.body());
        }

        jobId = "job-" + UUID.randomUUID();
        var awaited = new InvocationRequest(
                jobId,
                null,
                cid.toString(),
                null,
                null,
                null,
                null,
                1L << 20,
                300,
                null,
                null,
                java.time.Instant.now().plusSeconds(60),
                null);
        value = json.readValue(
                call(jobId, json.writeValueAsBytes(awaited), null).value(), InvocationReply.class);
        assertEquals(InvocationReply.Status.TIMED_OUT, value.status(), "a caller still waits: it runs");
    }

    @Test
    void runawayGuestTimesOut() throws Exception {
        var cid = upload(CONFORMANCE.resolve("infinite-loop/module.wasm"));
        var jobId = "job-" + UUID.randomUUID();
        var request = new InvocationRequest(jobId, null, cid.toString(), null, null, null, null, 1L << 20, 300, null);
        var value = json.readValue(
                call(jobId, json.writeValueAsBytes(request), null).value(), InvocationReply.class);
        assertEquals(InvocationReply.Status.TIMED_OUT, value.status());
        assertEquals(124, value.exitCode());
        assertTrue(value.error().contains("timed out after"), value.error());
    }

    @Test
    void malformedRequestGoesToTheDeadLetterTopicWithTheReason() {
        var key = "bad-" + UUID.randomUUID();
        byte[] body = "{\"jobId\": \"j\", ".getBytes(StandardCharsets.UTF_8);
        send(key, body, null);
        var letter = fixture.await(Topics.DEAD_LETTER, key);
        assertArrayEquals(body, letter.value());
        var reason = header(letter, Topics.DEAD_LETTER_REASON);
        assertTrue(reason.startsWith("not an InvocationRequest as JSON: "), reason);
        assertTrue(header(letter, Topics.DEAD_LETTER_ORIGIN).startsWith(Topics.INVOCATIONS + "-"));
    }

    @Test
    void invalidRequestGoesToTheDeadLetterTopicWithTheRuleBroken() {
        var key = "invalid-" + UUID.randomUUID();
        byte[] body = "{\"jobId\":\"j\",\"moduleCid\":\"bafk\",\"memoryBytes\":65536,\"timeoutMillis\":0}"
                .getBytes(StandardCharsets.UTF_8);
        send(key, body, null);
        var letter = fixture.await(Topics.DEAD_LETTER, key);
        assertEquals(
                "invalid InvocationRequest: timeoutMillis must be at least 1, not 0",
                header(letter, Topics.DEAD_LETTER_REASON));
    }

    private static final Path SPEW = Path.of("src/test/resources/jobs/spew.wasm");

    /** A sync call of spew.wasm writing {@code stdout} and {@code stderr} bytes, replied to {@code replyTo}. */
    private InvocationReply spew(int stdout, int stderr, String replyTo) throws Exception {
        var cid = upload(SPEW);
        var jobId = "job-" + UUID.randomUUID();
        var request = new InvocationRequest(
                jobId,
                null,
                cid.toString(),
                null,
                List.of(Integer.toString(stdout), Integer.toString(stderr)),
                null,
                null,
                16L << 20,
                30_000,
                replyTo);
        send("bafk-key", json.writeValueAsBytes(request), null);
        var reply = json.readValue(
                fixture.await(replyTo == null ? Topics.REPLIES : replyTo, jobId).value(), InvocationReply.class);
        assertEquals(jobId, reply.jobId());
        return reply;
    }

    @Test
    void outputsUpToTheirCapsComeBackWhole() throws Exception {
        var stdout = spew(800_000, 0, null);
        assertEquals(InvocationReply.Status.EXITED, stdout.status(), stdout.error());
        assertEquals(800_000, stdout.stdout().length);
        assertFalse(stdout.stdoutTruncated());

        var stderr = spew(0, 900_000, null);
        assertEquals(InvocationReply.Status.EXITED, stderr.status(), stderr.error());
        assertEquals(900_000, stderr.stderr().length);

        var both = spew(3_000_000, 3_000_000, null);
        assertEquals(InvocationReply.Status.EXITED, both.status(), both.error());
        assertEquals(config.execution().stdoutBytes(), both.stdout().length, "stdout past its cap: the cap's worth");
        assertEquals(config.execution().stderrBytes(), both.stderr().length);
        assertTrue(both.stdoutTruncated() && both.stderrTruncated());
    }

    @Test
    void aReplyTooLargeForItsTopicIsReplacedAtOnceByOneThatSaysWhy() throws Exception {
        String small = "replies-small-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "100000"))))
                .all()
                .get();

        var reply = spew(200_000, 10, small);

        assertEquals(InvocationReply.Status.UNDELIVERABLE, reply.status());
        assertEquals(0, reply.exitCode(), "the guest's exit code");
        assertEquals(0, reply.stdout().length);
        assertTrue(
                reply.error()
                        .startsWith("the guest exited with code 0; its reply (200000 bytes of stdout, 10 bytes of"
                                + " stderr) could not be delivered: "),
                reply.error());
        assertTrue(reply.error().contains("run it as a job"), reply.error());
    }

    private Cid upload(Path module) throws IOException {
        return fixture.upload(Files.readAllBytes(module));
    }

    private ConsumerRecord<byte[], byte[]> call(String jobId, byte[] request, String correlationId) {
        send("bafk-key", request, correlationId);
        return fixture.await(Topics.REPLIES, jobId);
    }

    private void send(String key, byte[] value, String correlationId) {
        fixture.send(
                Topics.INVOCATIONS,
                key,
                value,
                correlationId == null ? Map.of() : Map.of(Topics.CORRELATION_ID, correlationId));
    }
}
