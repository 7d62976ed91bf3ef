package dev.cidra.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings every Cidra service uses, for the clients it makes itself and for those SmallRye channels
 * make (as the map a channel's {@code kafka-configuration} names): the one place they are chosen.
 */
public final class KafkaSettings {
    private KafkaSettings() {}

    /**
     * A consumer's: {@code connection}'s brokers and login, and every request and blocking call failing within
     * {@code timeout}.
     */
    public static Map<String, Object> consumer(KafkaConnection connection, Duration timeout) {
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        var config = new HashMap<>(connection.clientConfig());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        return config;
    }

    /**
     * A producer's: {@code connection}'s brokers and login, every send acknowledged by all in-sync replicas, idempotent, sent at once ({@code linger.ms=0}, for
     * latency), records up to {@link Topics#MAX_REPLY_BYTES} (a topic may take less: the broker refuses a record
     * larger than its {@code max.message.bytes}), and failing within {@code timeout} (blocking for metadata,
     * delivery, each request).
     */
    public static Map<String, Object> producer(KafkaConnection connection, Duration timeout) {
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        var config = new HashMap<>(connection.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_REPLY_BYTES);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        return config;
    }

    /** An admin client's: {@code connection}'s brokers and login, named {@code clientId}, every call failing within {@code timeout}. */
    public static Map<String, Object> admin(KafkaConnection connection, String clientId, Duration timeout) {
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        var config = new HashMap<>(connection.clientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        return config;
    }
}
