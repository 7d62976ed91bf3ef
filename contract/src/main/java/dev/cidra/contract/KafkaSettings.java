package dev.cidra.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings every Cidra service uses, for the clients it makes itself and for those SmallRye channels
 * make (as the map a channel's {@code kafka-configuration} names): the one place they are chosen.
 */
public final class KafkaSettings {
    private KafkaSettings() {}

    /** A consumer's: {@code bootstrapServers}, and every request and blocking call failing within {@code timeout}. */
    public static Map<String, Object> consumer(String bootstrapServers, Duration timeout) {
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        var config = new HashMap<String, Object>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        return config;
    }

    /**
     * A producer's: every send acknowledged by all in-sync replicas, idempotent, sent at once ({@code linger.ms=0}, for
     * latency), records up to {@link Topics#MAX_REPLY_BYTES} (a topic may take less: the broker refuses a record
     * larger than its {@code max.message.bytes}), and failing within {@code timeout} (blocking for metadata,
     * delivery, each request).
     */
    public static Map<String, Object> producer(String bootstrapServers, Duration timeout) {
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_REPLY_BYTES);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        return config;
    }
}
