package dev.cidra.executor.service.messaging;

import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#INVOCATIONS}, runs each request and publishes its reply (or dead letter).
 *
 * <p>Delivery: at least once. A poll returns at most {@code cidra.execution.concurrency} requests; they run at once on
 * as many worker threads, each guest in one of the node's {@link Guests guest slots} (shared with the job consumer),
 * while the consumer is paused (it keeps polling, so the group does not evict it; see {@link PollLoop}). Offsets are
 * committed only after every reply or dead letter of the batch has been acknowledged by all in-sync replicas. If any
 * send fails, the batch's partitions are rewound and the requests run again; a reply can therefore be published more
 * than once, always with the same job and execution id for consumers to deduplicate by. On a rebalance the batch in
 * flight is finished and committed (or rewound) before partitions are given up.
 *
 * <p>The {@link PollLoop}'s thread owns the Kafka consumer and commits; the producer is thread-safe and shared by the
 * workers.
 */
@Singleton
class RequestConsumer {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final Admin admin;
    private final RequestHandler handler;
    private final ExecutorConfig config;
    private final int concurrency;
    private KafkaProducer<byte[], byte[]> producer;
    private ExecutorService workers;
    private PollLoop<Void> loop;

    RequestConsumer(Admin admin, RequestHandler handler, ExecutorConfig config, Guests guests) {
        this.admin = admin;
        this.handler = handler;
        this.config = config;
        this.concurrency = guests.concurrency();
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        var kafka = config.kafka();
        new TopicCreator(kafka.topicPartitions(), kafka.topicReplicationFactor(), kafka.requestTimeout())
                .createMissing(admin);
        int timeoutMillis = (int) kafka.requestTimeout().toMillis();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "cidra-executor-replies",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        timeoutMillis,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        timeoutMillis,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        timeoutMillis,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        var consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        kafka.groupId(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        concurrency),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        workers = Executors.newFixedThreadPool(
                concurrency,
                Thread.ofPlatform().name("cidra-guest-", 0).daemon(true).factory());
        loop = PollLoop.start("cidra-requests", consumer, Topics.INVOCATIONS, this::handle, RequestConsumer::commit);
        LOG.infof("consuming %s with %d concurrent guests", Topics.INVOCATIONS, concurrency);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop == null) {
            return;
        }
        loop.stop();
        workers.shutdownNow();
        producer.close();
    }

    /** Runs every record on the workers; each outcome completes when its reply or dead letter is acknowledged. */
    private List<CompletableFuture<Void>> handle(ConsumerRecords<byte[], byte[]> records) {
        var handled = new ArrayList<CompletableFuture<Void>>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handled.add(CompletableFuture.runAsync(() -> handler.handle(record, producer), workers));
        }
        return handled;
    }

    /** Every reply of the batch is acknowledged: commits its offsets. */
    private static boolean commit(PollLoop.Batch<Void> batch, Consumer<byte[], byte[]> consumer) {
        consumer.commitSync(batch.nextOffsets());
        return true;
    }
}
