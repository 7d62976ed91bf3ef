package dev.cidra.gateway.messaging;

import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.TopicReader;
import dev.cidra.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The gateway's Kafka clients, all configured from {@code cidra.kafka.*}: the one {@link Admin} (topics, readiness),
 * producers tuned for latency and durability, group-less consumers and the submissions' group consumer. Creates the missing shared topics at startup,
 * before any consumer or producer of this package starts; startup fails if Kafka cannot be reached then. Every producer
 * and consumer publishes the Kafka client's own metrics as {@code kafka.*} meters until shutdown.
 */
@Singleton
public class KafkaClients {
    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    private final GatewayConfig.Kafka kafka;
    private final MeterRegistry meters;
    private final List<KafkaClientMetrics> metered = new CopyOnWriteArrayList<>();

    KafkaClients(GatewayConfig config, MeterRegistry meters) {
        this.kafka = config.kafka();
        this.meters = meters;
    }

    /** Ends the bindings of the clients' own metrics ({@code kafka.*} meters, e.g. the consumers' records-lag-max). */
    @PreDestroy
    void unbindMetrics() {
        metered.forEach(KafkaClientMetrics::close);
    }

    private void meter(KafkaClientMetrics metrics) {
        metrics.bindTo(meters);
        metered.add(metrics);
    }

    /** The node's one Admin client, closed at shutdown. */
    @Produces
    @Singleton
    Admin admin() {
        int timeoutMillis = timeoutMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "cidra-gateway-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutMillis));
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(kafka.requestTimeout());
    }

    /**
     * Creates the missing topics, ahead of the observers of the default priority (the listeners).
     *
     * @throws IllegalStateException naming the topic that could not be created; startup fails
     * @throws InterruptedException if interrupted while waiting for Kafka
     */
    void createTopics(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent startup, Admin admin)
            throws InterruptedException {
        new TopicCreator(kafka.topicPartitions(), kafka.topicReplicationFactor(), kafka.requestTimeout())
                .createMissing(admin);
    }

    /** {@code cidra.kafka.request-timeout}. */
    public Duration requestTimeout() {
        return kafka.requestTimeout();
    }

    /** {@code cidra.kafka.bootstrap-servers}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * A new producer: every send is acknowledged by all in-sync replicas, idempotent, sent at once ({@code linger.ms=0}),
     * and fails within {@code cidra.kafka.request-timeout}. With a {@code transactionalId}, also transactional.
     */
    KafkaProducer<byte[], byte[]> producer(String clientId, Optional<String> transactionalId) {
        var producer = Producers.create(kafka.bootstrapServers(), clientId, kafka.requestTimeout(), transactionalId);
        meter(new KafkaClientMetrics(producer));
        return producer;
    }

    /** A new reader of every partition of {@code topic}, outside any group; not started. */
    TopicReader reader(
            String topic,
            TopicReader.From from,
            boolean readCommitted,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        return new TopicReader(
                consumer("cidra-gateway-" + topic, readCommitted, Map.of()), topic, from, handler, requestTimeout());
    }

    /**
     * A new {@code read_committed} consumer in group {@code groupId} that commits no offsets itself (they are committed
     * in the transactions that handle the records) and starts a partition without a committed offset at its earliest
     * record.
     */
    KafkaConsumer<byte[], byte[]> groupConsumer(String clientId, String groupId) {
        return consumer(
                clientId,
                true,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    private KafkaConsumer<byte[], byte[]> consumer(String clientId, boolean readCommitted, Map<String, Object> more) {
        var config = new HashMap<String, Object>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutMillis(),
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMillis()));
        config.putAll(more);
        var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        meter(new KafkaClientMetrics(consumer));
        return consumer;
    }

    /** The exception for a record that could not be published to {@code topic}. */
    static MessagingException unavailable(String topic, Throwable cause) {
        return new MessagingException("cannot publish to " + topic + ": " + cause, cause);
    }

    private int timeoutMillis() {
        return Math.toIntExact(kafka.requestTimeout().toMillis());
    }
}
