package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a trigger wrote, as a {@code read_committed} consumer of its output topic would. */
public final class CommittedRecords {
    private CommittedRecords() {}

    /**
     * The committed records of {@code topic}, key to value (stripped), once {@code count} have arrived (within 120 s)
     * and one more poll of 3 s found no more.
     *
     * @throws AssertionError on a key seen twice: a second output for one input
     */
    public static Map<String, String> read(String bootstrapServers, String topic, int count) {
        var records = new TreeMap<String, String>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            boolean more = true;
            while (more && System.nanoTime() < deadline) {
                var polled = consumer.poll(Duration.ofSeconds(records.size() < count ? 1 : 3));
                for (var record : polled) {
                    String before = records.put(record.key(), record.value().strip());
                    assertNull(before, "a second record keyed " + record.key() + ": " + record.value());
                }
                more = records.size() < count || !polled.isEmpty();
            }
        }
        return records;
    }
}
