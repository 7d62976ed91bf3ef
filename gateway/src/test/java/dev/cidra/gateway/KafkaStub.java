package dev.cidra.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plays the executor's side of the contract in tests: reads what the gateway publishes on one topic (every partition,
 * from the end at creation, {@code read_committed}) and publishes records as an executor would, plain or in a
 * transaction. Not thread-safe.
 */
public final class KafkaStub implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaProducer<byte[], byte[]> transactional;
    private final List<ConsumerRecord<byte[], byte[]>> unclaimed = new ArrayList<>();

    public KafkaStub(ObjectMapper json, String readTopic) {
        this.json = json;
        String servers = KafkaResource.bootstrapServers();
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        servers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        var partitions = consumer.partitionsFor(readTopic).stream()
                .map(info -> new TopicPartition(readTopic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        transactional = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        servers,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "test-executor-" + UUID.randomUUID()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        transactional.initTransactions();
    }

    /** The first record read (now or before) that {@code matches}, within {@link #WAIT}. */
    public ConsumerRecord<byte[], byte[]> await(Predicate<ConsumerRecord<byte[], byte[]>> matches) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            for (var iterator = unclaimed.iterator(); iterator.hasNext(); ) {
                var record = iterator.next();
                if (matches.test(record)) {
                    iterator.remove();
                    return record;
                }
            }
            consumer.poll(Duration.ofMillis(100)).forEach(unclaimed::add);
        }
        return fail("no matching record within " + WAIT + "; unclaimed: " + unclaimed.size());
    }

    /** The first record whose value decodes to a {@code type} that {@code matches}. */
    public <T> T awaitValue(Class<T> type, Predicate<T> matches) {
        return decode(await(record -> matches.test(decode(record, type))), type);
    }

    public <T> T decode(ConsumerRecord<byte[], byte[]> record, Class<T> type) {
        try {
            return json.readValue(record.value(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a record read (now or before) and not claimed yet {@code matches}; polls nothing. */
    public boolean anyUnclaimed(Predicate<ConsumerRecord<byte[], byte[]>> matches) {
        return unclaimed.stream().anyMatch(matches);
    }

    /** Publishes {@code value} as JSON and waits for the acknowledgement. */
    public void send(String topic, String key, Object value, Map<String, String> headers) {
        send(record(topic, key, value), headers);
    }

    /** Publishes {@code value} as JSON to one partition of {@code topic} and waits for the acknowledgement. */
    public void sendTo(TopicPartition partition, String key, Object value, Map<String, String> headers) {
        var record = record(partition.topic(), key, value);
        send(new ProducerRecord<>(partition.topic(), partition.partition(), record.key(), record.value()), headers);
    }

    /** Publishes {@code value} as it is (a null key: the producer picks the partition) and waits for the acknowledgement. */
    public RecordMetadata sendBytes(String topic, String key, byte[] value, Map<String, String> headers) {
        return send(
                new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value), headers);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record, Map<String, String> headers) {
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code values} in one transaction, committed or aborted. */
    public void sendInTransaction(String topic, String key, List<?> values, boolean commit) {
        transactional.beginTransaction();
        values.forEach(value -> transactional.send(record(topic, key, value)));
        if (commit) {
            transactional.commitTransaction();
        } else {
            transactional.flush();
            transactional.abortTransaction();
        }
    }

    private ProducerRecord<byte[], byte[]> record(String topic, String key, Object value) {
        try {
            return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        producer.close(Duration.ofSeconds(5));
        transactional.close(Duration.ofSeconds(5));
    }
}
