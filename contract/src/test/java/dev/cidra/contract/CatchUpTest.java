package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.testing.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CatchUp} against a real broker: a reader counts as caught up once it has handled every record below the end
 * offsets at assignment, and, where the end is a transaction marker it never sees, once a probe finds every returned
 * record handled.
 */
class CatchUpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static KafkaTestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void anEmptyTopicIsCaughtUpOnAssignment() throws Exception {
        String topic = topic();
        try (var consumer = consumer(false)) {
            var catchUp = new CatchUp();
            assertEquals(-1, catchUp.behind());
            catchUp.assigned(consumer, assign(consumer, topic));
            assertTrue(catchUp.caughtUp());
        }
    }

    @Test
    void handlingTheLastRecordCatchesUpWithoutAProbe() throws Exception {
        String topic = topic();
        write(topic, Optional.empty(), 3);
        try (var consumer = consumer(false)) {
            var catchUp = new CatchUp();
            catchUp.assigned(consumer, assign(consumer, topic));
            assertEquals(3, catchUp.behind());
            var records = poll(consumer, 3);
            catchUp.handled(records.get(0));
            assertEquals(2, catchUp.behind());
            records.subList(1, 3).forEach(catchUp::handled);
            assertTrue(catchUp.caughtUp());
        }
    }

    @Test
    void aTopicEndingInATransactionMarkerIsCaughtUpOnceAProbeFindsEveryReturnedRecordHandled() throws Exception {
        String topic = topic();
        write(topic, Optional.of("catch-up-" + UUID.randomUUID()), 2);
        try (var consumer = consumer(true)) {
            var catchUp = new CatchUp();
            var partitions = assign(consumer, topic);
            awaitEnd(consumer, partitions.get(0), 3); // the markers are written after commitTransaction returns
            catchUp.assigned(consumer, partitions);
            assertEquals(3, catchUp.behind(), "two records and the commit marker");
            var records = poll(consumer, 2);
            catchUp.handled(records.get(0));
            catchUp.probe(consumer);
            assertFalse(catchUp.caughtUp(), "a record returned by poll is not handled yet");
            catchUp.handled(records.get(1));
            assertFalse(catchUp.caughtUp(), "the marker is never handed to the reader");
            catchUp.probe(consumer);
            assertTrue(catchUp.caughtUp());
            assertEquals(0, catchUp.behind());
        }
    }

    private static String topic() throws Exception {
        String topic = "catch-up-" + UUID.randomUUID();
        try (var admin = Admin.create(
                Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static void write(String topic, Optional<String> transactionalId, int count) throws Exception {
        try (var producer = Producers.create(
                KafkaConnection.plaintext(cluster.bootstrapServers()), "catch-up", TIMEOUT, transactionalId)) {
            if (transactionalId.isPresent()) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            if (transactionalId.isPresent()) {
                producer.commitTransaction();
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
        var config = KafkaSettings.consumer(KafkaConnection.plaintext(cluster.bootstrapServers()), TIMEOUT);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private static void awaitEnd(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long end) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (consumer.endOffsets(List.of(partition)).get(partition) < end
                && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertEquals(end, consumer.endOffsets(List.of(partition)).get(partition));
    }

    private static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer, int count) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (records.size() < count && Instant.now().isBefore(deadline)) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        assertEquals(count, records.size());
        return records;
    }
}
