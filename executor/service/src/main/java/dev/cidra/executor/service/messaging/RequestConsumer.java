package dev.cidra.executor.service.messaging;

import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#INVOCATIONS}, runs each request and publishes its reply (or dead letter).
 *
 * <p>Delivery: at least once. A poll returns at most {@code cidra.execution.concurrency} requests; they run at once on
 * as many worker threads, each guest in one of the node's {@link Guests guest slots} (shared with the job consumer),
 * while the consumer is paused (it keeps polling, so the group does not evict it). Offsets are
 * committed only after every reply or dead letter of the batch has been acknowledged by all in-sync replicas. If any
 * send fails, the batch's partitions are rewound and the requests run again; a reply can therefore be published more
 * than once, always with the same job and execution id for consumers to deduplicate by. On a rebalance the batch in
 * flight is finished and committed before partitions are given up.
 *
 * <p>One loop thread owns the Kafka consumer; the producer is thread-safe and shared by the workers.
 */
@Singleton
class RequestConsumer {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BATCH_CHECK = Duration.ofSeconds(1);

    private final Admin admin;
    private final RequestHandler handler;
    private final ExecutorConfig config;
    private final int concurrency;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private ExecutorService workers;
    private Thread loop;
    private Batch batch; // loop thread only

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
        consumer = new KafkaConsumer<>(
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
        running = true;
        loop = Thread.ofPlatform().name("cidra-requests").start(this::consume);
        LOG.infof("consuming %s with %d concurrent guests", Topics.INVOCATIONS, concurrency);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        loop.join();
        workers.shutdownNow();
        producer.close();
    }

    private void consume() {
        try {
            consumer.subscribe(List.of(Topics.INVOCATIONS), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                batch = new Batch(records);
                consumer.pause(consumer.assignment());
                awaitBatch();
                finishBatch();
                consumer.resume(consumer.assignment());
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("request loop woken up unexpectedly; it stops", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("request loop failed; it stops and the node is no longer live", e);
        } finally {
            consumer.close();
        }
    }

    /** Polls (paused, so only group duties) until every record of the batch is done; the batch may end in a poll. */
    private void awaitBatch() throws InterruptedException {
        while (batch != null) {
            try {
                batch.done.get(BATCH_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                consumer.poll(Duration.ZERO);
            } catch (ExecutionException e) {
                return; // finishBatch rewinds
            }
        }
    }

    /** Waits for the batch, then commits it, or rewinds its partitions if a send failed. Loop thread only. */
    private void finishBatch() throws InterruptedException {
        if (batch == null) {
            return;
        }
        var current = batch;
        batch = null;
        try {
            current.done.get();
            consumer.commitSync(current.nextOffsets());
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "a reply could not be published; %s run again", current.partitions());
            current.firstOffsets().forEach(consumer::seek);
        }
    }

    /** Runs every record on the workers; {@code done} completes when all replies are acknowledged. */
    private final class Batch {
        private final ConsumerRecords<byte[], byte[]> records;
        private final CompletableFuture<Void> done;

        Batch(ConsumerRecords<byte[], byte[]> records) {
            this.records = records;
            var handled = new ArrayList<CompletableFuture<Void>>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                handled.add(CompletableFuture.runAsync(() -> handler.handle(record, producer), workers));
            }
            this.done = CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new));
        }

        Collection<TopicPartition> partitions() {
            return records.partitions();
        }

        Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
            var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
            for (TopicPartition partition : records.partitions()) {
                var list = records.records(partition);
                offsets.put(partition, new OffsetAndMetadata(list.getLast().offset() + 1));
            }
            return offsets;
        }

        Map<TopicPartition, Long> firstOffsets() {
            var offsets = new HashMap<TopicPartition, Long>();
            for (TopicPartition partition : records.partitions()) {
                offsets.put(partition, records.records(partition).getFirst().offset());
            }
            return offsets;
        }
    }

    /** Finishes the batch in flight before partitions go; keeps newly assigned partitions paused while it runs. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                finishBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (batch != null) {
                consumer.pause(partitions);
            }
        }
    }
}
