package dev.cidra.executor.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.registry.Cid;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Requests through a real in-process Kafka broker, modules from a real S3Proxy. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class InvocationFlowTest {
    private static final Path CONFORMANCE = Path.of(System.getProperty("conformance.dir"));
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    ObjectMapper json;

    @Inject
    ExecutorConfig config;

    @Inject
    S3Client s3;

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
        var letter = await(Topics.DEAD_LETTER, key);
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
        var letter = await(Topics.DEAD_LETTER, key);
        assertEquals(
                "invalid InvocationRequest: timeoutMillis must be at least 1, not 0",
                header(letter, Topics.DEAD_LETTER_REASON));
    }

    private Cid upload(Path module) throws IOException {
        byte[] bytes = Files.readAllBytes(module);
        var cid = Cid.rawOf(bytes);
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(config.registry().keyPrefix() + cid),
                RequestBody.fromBytes(bytes));
        return cid;
    }

    private ConsumerRecord<byte[], byte[]> call(String jobId, byte[] request, String correlationId) {
        send("bafk-key", request, correlationId);
        return await(Topics.REPLIES, jobId);
    }

    private void send(String key, byte[] value, String correlationId) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", config.kafka().bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.INVOCATIONS, key.getBytes(StandardCharsets.UTF_8), value);
            if (correlationId != null) {
                record.headers().add(Topics.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record);
        }
    }

    /** The first record on {@code topic} with {@code key}, read from the beginning. */
    private ConsumerRecord<byte[], byte[]> await(String topic, String key) {
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            var deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record keyed " + key + " on " + topic + " within " + WAIT);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
