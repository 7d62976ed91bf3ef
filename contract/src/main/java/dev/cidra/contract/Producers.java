package dev.cidra.contract;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** How every Cidra service produces to Kafka; the one place those settings are chosen. */
public final class Producers {
    private Producers() {}

    /**
     * A new byte-array producer with the {@linkplain KafkaSettings#producer settings of every producer}. With a {@code transactionalId}, also transactional; the caller calls {@code initTransactions()}.
     */
    public static KafkaProducer<byte[], byte[]> create(
            KafkaConnection connection, String clientId, Duration timeout, Optional<String> transactionalId) {
        var config = KafkaSettings.producer(connection, timeout);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        transactionalId.ifPresent(id -> config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends without waiting.
     *
     * @return completes when Kafka acknowledged the record, or exceptionally with the producer's own error (also one
     *     {@code send} throws, e.g. no metadata within {@code max.block.ms}), not wrapped
     */
    public static <K, V> CompletableFuture<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        var acknowledged = new CompletableFuture<RecordMetadata>();
        try {
            producer.send(record, (metadata, e) -> {
                if (e == null) {
                    acknowledged.complete(metadata);
                } else {
                    acknowledged.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
