package dev.cidra.executor.service;

import static dev.cidra.executor.service.FlowFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.triggers.TriggerTally;
import dev.cidra.registry.testing.S3ProxyResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Triggers through a real in-process Kafka broker: a definition produced to {@link Topics#TRIGGERS} (as the gateway
 * would), records produced to its topic, outputs and dead letters read {@code read_committed}. The guest is
 * {@code triggers/transform.wasm}, which echoes selected variables and its stdin upper-cased, and fails, dawdles or
 * flakes when the record asks. Every test uses topics and a trigger of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
class TriggerFlowTest {
    private static final int PARTITIONS = 3;

    @Inject
    ObjectMapper json;

    @Inject
    ExecutorConfig config;

    @Inject
    Admin admin;

    @Inject
    S3Client s3;

    @Inject
    MeterRegistry meters;

    @Inject
    FlowFixture fixture;

    @Inject
    Guests guests;

    @Inject
    TriggerTally tally;

    @TestHTTPResource("/q/health/live")
    URI live;

    @Test
    void eachRecordRunsOnceInPartitionOrderWithItsKeyHeadersAndCoordinates() throws Exception {
        var topics = topics("order");
        var trigger =
                define(trigger(topics, List.of("CIDRA_KEY", "CIDRA_TOPIC", "CIDRA_HEADER_CONTENT_TYPE", "GREETING"))
                        .env(Map.of("GREETING", "hi"))
                        .build());
        var sent = new LinkedHashMap<String, List<String>>();
        try (var producer = producer()) {
            for (int i = 0; i < 60; i++) {
                String key = "k" + (i % 10);
                String value = key + "-" + i;
                var record = new ProducerRecord<>(topics.in(), utf8(key), utf8(value));
                record.headers().add("content-type", utf8("text/plain"));
                producer.send(record);
                sent.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }

        var outputs = read(topics.out(), 60);
        var seen = new LinkedHashMap<String, List<String>>();
        for (var output : outputs) {
            String key = new String(output.key(), StandardCharsets.UTF_8);
            String[] lines = new String(output.value(), StandardCharsets.UTF_8).split("\n");
            assertEquals(
                    List.of(
                            "CIDRA_KEY=" + key,
                            "CIDRA_TOPIC=" + topics.in(),
                            "CIDRA_HEADER_CONTENT_TYPE=text/plain",
                            "GREETING=hi"),
                    List.of(lines).subList(0, 4));
            seen.computeIfAbsent(key, k -> new ArrayList<>()).add(lines[4].toLowerCase());
            assertEquals(trigger.name(), header(output, Trigger.TRIGGER_HEADER));
            assertEquals("1", header(output, Trigger.ATTEMPTS_HEADER));
            assertTrue(header(output, Trigger.SOURCE_HEADER).startsWith(topics.in() + "-"), output.toString());
        }
        assertEquals(sent, seen, "every key's outputs, in the order its records were produced");
    }

    @Test
    void aFailedRunIsRetriedWithItsAttemptNumber() throws Exception {
        var topics = topics("retry");
        define(trigger(topics, List.of()).retry(new Trigger.Retry(4, 10)).build());
        fixture.send(topics.in(), "flaky", utf8("flaky:3 then fine"), Map.of());

        var output = read(topics.out(), 1).getFirst();
        assertEquals("FLAKY:3 THEN FINE", new String(output.value(), StandardCharsets.UTF_8));
        assertEquals("3", header(output, Trigger.ATTEMPTS_HEADER));
    }

    @Test
    void aRecordThatKeepsFailingGoesToTheDeadLetterTopicAndThePartitionMovesOn() throws Exception {
        var topics = topics("dead");
        var trigger = define(trigger(topics, List.of())
                .retry(new Trigger.Retry(2, 10))
                .deadLetterTopic(topics.in() + ".dlq")
                .build());
        try (var producer = producer()) {
            var poison = new ProducerRecord<>(topics.in(), 0, utf8("p"), utf8("poison pill"));
            poison.headers().add("origin-app", utf8("test"));
            producer.send(poison);
            producer.send(new ProducerRecord<>(topics.in(), 0, utf8("p"), utf8("after the pill")));
        }

        var letter = read(trigger.deadLetterTopic(), 1).getFirst();
        assertEquals("poison pill", new String(letter.value(), StandardCharsets.UTF_8));
        assertEquals("p", new String(letter.key(), StandardCharsets.UTF_8));
        assertEquals("test", header(letter, "origin-app"));
        assertEquals(topics.in() + "-0@0", header(letter, Topics.DEAD_LETTER_ORIGIN));
        assertEquals("2", header(letter, Trigger.ATTEMPTS_HEADER));
        String reason = header(letter, Topics.DEAD_LETTER_REASON);
        assertTrue(reason.contains("exited with code 3") && reason.contains("poisoned"), reason);
        assertEquals(
                "AFTER THE PILL", new String(read(topics.out(), 1).getFirst().value(), StandardCharsets.UTF_8));
        assertEquals(
                new NodeInfo.TriggerCounts(1, 1, 2),
                tally.snapshot().get(trigger.id()),
                "what the node announces of the trigger: one record succeeded, one dead-lettered after two attempts");
    }

    @Test
    void anOutputTooLargeForARecordIsDeadLetteredAtOnceWithoutItsValue() throws Exception {
        var topics = topics("large");
        var trigger = define(trigger(topics, List.of())
                .retry(new Trigger.Retry(5, 10))
                .deadLetterTopic(topics.in() + ".dlq")
                .build());
        byte[] key = "k".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        byte[] value = "v".repeat(999_000).getBytes(StandardCharsets.UTF_8);
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topics.in(), 0, key, value));
            producer.send(new ProducerRecord<>(topics.in(), 0, utf8("small"), utf8("fits")));
        }

        var letter = read(trigger.deadLetterTopic(), 1).getFirst();
        assertArrayEquals(key, letter.key());
        assertNull(letter.value());
        assertEquals("999000", header(letter, "cidra-dead-letter-value-dropped"));
        assertEquals("1", header(letter, Trigger.ATTEMPTS_HEADER), "no retry: no attempt can succeed");
        assertTrue(header(letter, Topics.DEAD_LETTER_REASON).contains("exceeds 1000000 bytes"), letter.toString());
        assertEquals("FITS", new String(read(topics.out(), 1).getFirst().value(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeletedTriggerStopsRunning() throws Exception {
        var topics = topics("delete");
        var trigger = define(trigger(topics, List.of()).build());
        fixture.send(topics.in(), "before", utf8("before"), Map.of());
        assertEquals("BEFORE", new String(read(topics.out(), 1).getFirst().value(), StandardCharsets.UTF_8));

        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.TRIGGERS, utf8(trigger.name()), null))
                    .get();
        }
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        while (liveness().contains("trigger:" + trigger.name()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertFalse(liveness().contains("trigger:" + trigger.name()), liveness());
        fixture.send(topics.in(), "after", utf8("after"), Map.of());
        try (var consumer = fixture.consumer(topics.out())) {
            var seen = new ArrayList<String>();
            for (int i = 0; i < 10; i++) {
                consumer.poll(Duration.ofMillis(300))
                        .forEach(r -> seen.add(new String(r.key(), StandardCharsets.UTF_8)));
            }
            assertEquals(List.of("before"), seen, "nothing runs the record produced after the deletion");
        }
    }

    @Test
    void aPublisherOutputPublishesStdoutUnderTheRecordsJobId() throws Exception {
        var topics = topics("publish");
        String bucket = "trigger-results-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket)); // not the module bucket: no job or trigger may write there
        var publisher = new Publisher(
                Publisher.S3, Map.of("Bucket", bucket, "Key", "triggered/{jobID}", "Encoding", Publisher.PLAIN));
        var trigger = define(trigger(topics, List.of("CIDRA_OFFSET"))
                .output(new Trigger.Output(null, publisher))
                .build());
        fixture.send(topics.in(), "k", utf8("to s3"), Map.of());

        String key = "triggered/" + trigger.jobId(partitionOf("k"), 0) + "/stdout";
        assertEquals("CIDRA_OFFSET=0\nTO S3", new String(awaitObject(bucket, key), StandardCharsets.UTF_8));
    }

    /**
     * The node's transactional producer is fenced while a batch runs (as a restarted node would fence it): the batch's
     * outputs are never committed, the trigger's loop stops and is started again, and the records run a second time.
     * A {@code read_committed} reader still sees exactly one output per record.
     */
    @Test
    void aBatchInterruptedBeforeItsCommitRunsAgainWithoutDuplicateOutput() throws Exception {
        var topics = topics("fence");
        var trigger = define(trigger(topics, List.of()).build());
        double before = outputs(trigger);
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topics.in(), 0, utf8("a"), utf8("first")));
            producer.send(new ProducerRecord<>(topics.in(), 0, utf8("b"), utf8("slow second")));
        }
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        while (outputs(trigger) < before + 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(before + 1, outputs(trigger), "\"first\" ran; \"slow second\" is running");
        String transactionalId = "cidra-trigger-" + trigger.name() + "-" + trigger.id() + "-" + guests.nodeId();
        try (var usurper = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafka().bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            usurper.initTransactions();
        }

        var outputs = read(topics.out(), 2);
        assertEquals(
                List.of("FIRST", "SLOW SECOND"),
                outputs.stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .sorted()
                        .toList(),
                "one output per record (keys a and b may land in different output partitions)");
        assertTrue(outputs(trigger) >= before + 4, "both records ran twice: " + (outputs(trigger) - before));
        try (var consumer = fixture.consumer(topics.out())) {
            int more = consumer.poll(Duration.ofSeconds(2)).count();
            assertEquals(2, more, "a fresh read_committed reader sees exactly the two outputs");
        }
    }

    private record TopicPair(String in, String out) {}

    private TopicPair topics(String test) throws ExecutionException, InterruptedException {
        String prefix = "trigger-" + test + "-" + UUID.randomUUID();
        var topics = new TopicPair(prefix + ".in", prefix + ".out");
        admin.createTopics(List.of(
                        new NewTopic(topics.in(), PARTITIONS, (short) 1),
                        new NewTopic(topics.out(), PARTITIONS, (short) 1),
                        new NewTopic(topics.in() + ".dlq", 1, (short) 1)))
                .all()
                .get();
        return topics;
    }

    private TriggerBuilder trigger(TopicPair topics, List<String> args) throws IOException {
        var builder = new TriggerBuilder();
        builder.topic = topics.in();
        builder.module = fixture.upload(module()).toString();
        builder.args = args;
        builder.output = new Trigger.Output(topics.out(), null);
        return builder;
    }

    /** Produces the definition as the gateway would, and waits until this node runs the trigger. */
    private Trigger define(Trigger trigger) throws Exception {
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.TRIGGERS, utf8(trigger.name()), json.writeValueAsBytes(trigger)))
                    .get();
        }
        return trigger;
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        try (var consumer = fixture.consumer(topic)) {
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertEquals(count, records.size(), "records on " + topic + ": " + records);
        return records;
    }

    private double outputs(Trigger trigger) {
        var counter = meters.find("cidra.trigger.records")
                .tags("trigger", trigger.name(), "outcome", "output")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The partition Kafka's default partitioner gives {@code key}. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(utf8(key))) % PARTITIONS;
    }

    private String liveness() throws IOException, InterruptedException {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    private byte[] awaitObject(String bucket, String key) throws InterruptedException {
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        while (true) {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            } catch (NoSuchKeyException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no object " + key + " within " + FlowFixture.WAIT, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] module() throws IOException {
        try (InputStream in = TriggerFlowTest.class.getResourceAsStream("/triggers/transform.wasm")) {
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A trigger with test defaults: a fresh name and id, 3 attempts 10 ms apart, 64 MiB, 30 s. */
    private static final class TriggerBuilder {
        String topic;
        String module;
        List<String> args;
        Map<String, String> env = Map.of();
        Trigger.Output output;
        Trigger.Retry retry = new Trigger.Retry(3, 10);
        String deadLetterTopic;

        TriggerBuilder env(Map<String, String> value) {
            env = value;
            return this;
        }

        TriggerBuilder output(Trigger.Output value) {
            output = value;
            return this;
        }

        TriggerBuilder retry(Trigger.Retry value) {
            retry = value;
            return this;
        }

        TriggerBuilder deadLetterTopic(String value) {
            deadLetterTopic = value;
            return this;
        }

        Trigger build() {
            return new Trigger(
                    "t-" + UUID.randomUUID().toString().substring(0, 8),
                    UUID.randomUUID().toString(),
                    Instant.now(),
                    topic,
                    module,
                    null,
                    args,
                    env,
                    List.of("content-type"),
                    output,
                    2,
                    retry,
                    deadLetterTopic,
                    64L << 20,
                    30_000,
                    null);
        }
    }
}
