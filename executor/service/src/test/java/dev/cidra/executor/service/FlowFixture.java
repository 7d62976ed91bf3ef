package dev.cidra.executor.service;

import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.registry.Cid;
import dev.cidra.registry.testing.S3ProxyResource;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the flow tests do from outside the executor: put modules in its bucket, send it records, and read what it
 * publishes (committed records only, from the beginning of a topic).
 */
@Singleton
class FlowFixture {
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ExecutorConfig config;
    private final S3Client s3;

    FlowFixture(ExecutorConfig config, S3Client s3) {
        this.config = config;
        this.s3 = s3;
    }

    /** Stores a module in the module bucket, under its raw CID; returns the CID. */
    Cid upload(byte[] module) {
        var cid = Cid.rawOf(module);
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET).key(config.registry().keyPrefix() + cid),
                RequestBody.fromBytes(module));
        return cid;
    }

    /** Sends a record with string headers and waits until it is sent. */
    void send(String topic, String key, byte[] value, Map<String, String> headers) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", config.kafka().bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            var record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
            headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
        }
    }

    /** The first record on {@code topic} with {@code key}. */
    ConsumerRecord<byte[], byte[]> await(String topic, String key) {
        var deadline = Instant.now().plus(WAIT);
        try (var consumer = consumer(topic)) {
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

    /** A consumer of {@code topic} in a group of its own, reading committed records from the beginning. */
    KafkaConsumer<byte[], byte[]> consumer(String topic) {
        var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The last header {@code name} of the record as UTF-8, or null. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
