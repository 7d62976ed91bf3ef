package dev.cidra.executor.service.messaging;

import dev.cidra.contract.ConsumerThread;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.providers.ProvidedModules;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#INVOCATIONS} (a provider node: its set's topic instead, {@link ProvidedModules}), runs each
 * request and publishes its reply (or dead letter).
 *
 * <p>Pipelined, at least once: every polled request is handed to the workers at once (each guest runs in one of the
 * node's {@link Guests guest slots}, shared with the job consumer) and the loop polls on without waiting, up to
 * {@value #IN_FLIGHT_PER_GUEST} requests in flight per guest slot, beyond which it pauses its partitions (and keeps
 * polling, so the group does not evict it). Replies are sent without blocking a worker; a partition's offset is
 * committed (asynchronously, after every poll) only up to its lowest request whose reply or dead letter Kafka has not
 * acknowledged yet, see {@link OffsetTracker}. When a reply and its dead letter both cannot be published, the loop
 * lets the requests in flight settle, rewinds that request's partition to it and runs it again; a reply can therefore
 * be published more than once, always with the same job and execution id, and the gateway keeps the first. On a
 * rebalance, the requests in flight settle and their offsets are committed before partitions are given up.
 *
 * <p>The thread of a {@link ConsumerThread} ({@code cidra-requests}) owns the Kafka consumer, and its lifecycle is that
 * thread's; the producer is thread-safe and shared by the workers.
 */
@Singleton
class RequestConsumer {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
    static final int IN_FLIGHT_PER_GUEST = 64;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration SETTLE_CHECK = Duration.ofMillis(5);

    private final Admin admin;
    private final RequestHandler handler;
    private final ExecutorConfig config;
    private final int concurrency;
    private final String nodeId;
    private final KafkaMeters kafkaMeters;
    private final ProvidedModules provided;
    private final OffsetTracker offsets = new OffsetTracker();
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private ExecutorService workers;
    private volatile ConsumerThread loop; // read by the liveness check

    RequestConsumer(
            Admin admin,
            RequestHandler handler,
            ExecutorConfig config,
            Guests guests,
            KafkaMeters kafkaMeters,
            ProvidedModules provided) {
        this.admin = admin;
        this.handler = handler;
        this.config = config;
        this.concurrency = guests.concurrency();
        this.nodeId = guests.nodeId();
        this.kafkaMeters = kafkaMeters;
        this.provided = provided;
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        var kafka = config.kafka();
        var topics = new TopicCreator(kafka.topicPartitions(), kafka.topicReplicationFactor(), kafka.requestTimeout());
        topics.createMissing(admin);
        topics.createMissing(admin, provided.ownTopics());
        producer = kafkaMeters.bind(Producers.create(
                kafka.connection(), "cidra-executor-replies", kafka.requestTimeout(), Optional.empty()));
        var consumerConfig = kafka.connection()
                .clientConfig(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        provided.groupId(kafka.groupId()),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        concurrency * IN_FLIGHT_PER_GUEST));
        consumerConfig.putAll(new GroupMembership(kafka, nodeId).config("requests"));
        consumer = kafkaMeters.bind(
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        workers = Executors.newFixedThreadPool(
                concurrency,
                Thread.ofPlatform().name("cidra-guest-", 0).daemon(true).factory());
        loop = new ConsumerThread("cidra-requests", consumer, ConsumerThread.KAFKA_CLOSE_TIMEOUT);
        loop.start(this::consume);
        LOG.infof("consuming %s with %d concurrent guests", provided.invocationsTopic(), concurrency);
    }

    /** Why the loop ended other than by a shutdown; null while it runs. */
    String failure() {
        return loop == null ? null : loop.failure();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop == null) {
            return;
        }
        loop.stop();
        workers.shutdownNow();
        producer.close();
    }

    private void consume() throws InterruptedException {
        consumer.subscribe(List.of(provided.invocationsTopic()), new Rebalance());
        while (loop.running()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                dispatch(record);
            }
            if (!offsets.failed().isEmpty()) {
                rewindFailed();
            }
            if (offsets.inFlight() >= concurrency * IN_FLIGHT_PER_GUEST) {
                consumer.pause(consumer.assignment());
            } else if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            var committable = offsets.committable();
            if (!committable.isEmpty()) {
                consumer.commitAsync(committable, (committed, e) -> {
                    if (e != null) {
                        LOG.warnf("committing %s failed (a later commit covers it): %s", committed, e);
                    }
                });
            }
        }
        settle();
        consumer.commitSync(offsets.committable());
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        offsets.started(partition, record.offset());
        CompletableFuture.supplyAsync(() -> handler.handle(record, producer), workers)
                .thenCompose(Function.identity())
                .whenComplete((done, failure) -> {
                    if (failure == null) {
                        offsets.finished(partition, record.offset());
                    } else {
                        LOG.errorf(
                                failure,
                                "request %s failed; its partition is consumed again from it",
                                DeadLetter.origin(record));
                        offsets.failed(partition, record.offset());
                    }
                });
    }

    /** Lets the requests in flight settle, then rewinds every partition with a failed request to its first one. */
    private void rewindFailed() throws InterruptedException {
        settle();
        consumer.commitSync(offsets.committable());
        var failed = offsets.failed();
        offsets.forget(failed.keySet());
        failed.forEach(consumer::seek);
    }

    /**
     * Waits (loop thread) until every request in flight has finished or failed, polling with every partition paused so
     * that the group does not evict the node while long guests run; guests are bounded by their timeout.
     */
    private void settle() throws InterruptedException {
        consumer.pause(consumer.assignment());
        while (offsets.running() > 0) {
            consumer.poll(Duration.ZERO);
            Thread.sleep(SETTLE_CHECK);
        }
        // The loop pauses again if too many requests are in flight; a rebalance may have changed the assignment.
        consumer.resume(consumer.paused());
    }

    /** In a rebalance callback, where the consumer must not be polled: waits until the requests in flight settle. */
    private void settleWithoutPolling() throws InterruptedException {
        while (offsets.running() > 0) {
            Thread.sleep(SETTLE_CHECK);
        }
    }

    /** Settles and commits what was in flight before partitions go. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                settleWithoutPolling();
                consumer.commitSync(offsets.committable());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                offsets.forget(partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Positions come from the group's committed offsets.
        }
    }
}
