package dev.cidra.gateway.messaging;

import dev.cidra.contract.KafkaConnection;
import dev.cidra.contract.KafkaSettings;
import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.TopicReader;
import dev.cidra.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The gateway's Kafka clients, all configured from {@code cidra.kafka.*}: the one {@link Admin} (topics, readiness),
 * producers tuned for latency and durability and the reader of replies, and, for the clients of the SmallRye channels,
 * the settings maps {@value #CHANNEL_SETTINGS} and {@value #CHANNEL_PRODUCER_SETTINGS} that their
 * {@code kafka-configuration} names. Creates the missing shared topics at startup, before any consumer or producer of
 * the gateway starts, channels included; startup fails if Kafka cannot be reached then. Every producer
 * and consumer made here publishes the Kafka client's own metrics as {@code kafka.*} meters until shutdown (Quarkus
 * binds those of the channels' clients).
 */
@Singleton
public class KafkaClients {
    /** The identifier of the settings of the channels' clients ({@code cidra.kafka.*} as Kafka client settings). */
    public static final String CHANNEL_SETTINGS = "cidra-kafka";

    /** The identifier of the settings of the channels' producers: those of {@link Producers}. */
    public static final String CHANNEL_PRODUCER_SETTINGS = "cidra-kafka-producer";

    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    private final GatewayConfig.Kafka kafka;
    private final KafkaConnection connection;
    private final MeterRegistry meters;
    private final List<KafkaClientMetrics> metered = new CopyOnWriteArrayList<>();

    KafkaClients(GatewayConfig config, MeterRegistry meters) {
        this.kafka = config.kafka();
        this.connection = kafka.connection();
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
        return Admin.create(KafkaSettings.admin(connection, "cidra-gateway-admin", kafka.requestTimeout()));
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(kafka.requestTimeout());
    }

    /** The settings every channel's clients start from: the brokers and timeouts of {@code cidra.kafka.*}. */
    @Produces
    @Identifier(CHANNEL_SETTINGS)
    Map<String, Object> channelSettings() {
        return KafkaSettings.consumer(connection, kafka.requestTimeout());
    }

    /** The settings of a channel's producer: those of every producer the gateway makes ({@link Producers}). */
    @Produces
    @Identifier(CHANNEL_PRODUCER_SETTINGS)
    Map<String, Object> channelProducerSettings() {
        return KafkaSettings.producer(connection, kafka.requestTimeout());
    }

    /**
     * Creates the missing topics, ahead of the messaging extension, which starts the channels (and initializes their
     * transactional producer) at {@code LIBRARY_BEFORE}, and of the observers of the application.
     *
     * @throws IllegalStateException naming the topic that could not be created; startup fails
     * @throws InterruptedException if interrupted while waiting for Kafka
     */
    void createTopics(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent startup, Admin admin)
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
        var producer = Producers.create(connection, clientId, kafka.requestTimeout(), transactionalId);
        meter(new KafkaClientMetrics(producer));
        return producer;
    }

    /** A new reader of {@code partition} from its end, outside any group; not started. */
    TopicReader reader(TopicPartition partition, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        var config = KafkaSettings.consumer(connection, kafka.requestTimeout());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "cidra-gateway-" + partition.topic());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        meter(new KafkaClientMetrics(consumer));
        return new TopicReader(consumer, partition, handler, requestTimeout());
    }

    /** The exception for a record that could not be published to {@code topic}. */
    static MessagingException unavailable(String topic, Throwable cause) {
        return new MessagingException("cannot publish to " + topic + ": " + cause, cause);
    }
}
