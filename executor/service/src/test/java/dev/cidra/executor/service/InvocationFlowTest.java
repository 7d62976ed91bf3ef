package dev.cidra.executor.service;

import static dev.cidra.executor.service.FlowFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.Topics;
import dev.cidra.registry.Cid;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
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
