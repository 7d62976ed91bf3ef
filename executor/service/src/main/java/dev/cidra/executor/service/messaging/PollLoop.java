package dev.cidra.executor.service.messaging;

import dev.cidra.contract.ConsumerThread;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The batch loop of the executor's transactional consumers (jobs and triggers): the thread of a
 * {@link ConsumerThread} owns a Kafka consumer subscribed to one topic and runs what each poll returns as a batch,
 * one batch at a time. ({@link RequestConsumer}, which pipelines requests instead of batching them, has a loop of its
 * own on a {@link ConsumerThread} too.)
 *
 * <p>A non-empty poll is handed to {@code start}, which begins one outcome per record (usually on worker threads).
 * While they run, the consumer is paused but keeps polling, so the group does not evict it. When every outcome has
 * completed normally, {@code commit} commits the batch on the loop thread, with the consumer at hand; if an outcome
 * completed exceptionally, or {@code commit} returns false, the batch's partitions are rewound to its first offsets
 * and its records are polled and run again. Which guarantee that gives is the commit's: the loop itself never commits
 * an offset. On a rebalance the batch in flight is finished (committed or rewound) before partitions are given up, and
 * partitions assigned while it runs stay paused; on {@link #stop()} it is dropped, uncommitted.
 *
 * <p>The consumer is used, and closed, by the loop thread only ({@code start} and {@code commit} run on it), but for
 * the wakeup with which {@link #stop()} ends the loop. A failure of the loop (an exception from the consumer,
 * {@code start} or {@code commit}) is logged and ends it, and {@link #failure()} names it; an interrupt ends it too,
 * with the thread's flag set.
 *
 * @param <T> the outcome of one record
 */
final class PollLoop<T> {
    private static final Logger LOG = Logger.getLogger(PollLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BATCH_CHECK = Duration.ofSeconds(1);

    /** Commits a batch all of whose outcomes completed normally; false to have its records run again. */
    @FunctionalInterface
    interface Commit<T> {
        boolean commit(Batch<T> batch, Consumer<byte[], byte[]> consumer);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Function<ConsumerRecords<byte[], byte[]>, List<CompletableFuture<T>>> start;
    private final Commit<T> commit;
    private final BiConsumer<Consumer<byte[], byte[]>, Collection<TopicPartition>> assigned;
    private final ConsumerThread thread;
    private Batch<T> batch; // loop thread only

    /**
     * For {@code assigned}: partitions start where the group's committed offsets say (else at the consumer's
     * {@code auto.offset.reset}).
     */
    static final BiConsumer<Consumer<byte[], byte[]>, Collection<TopicPartition>> COMMITTED_OFFSETS =
            (consumer, partitions) -> {};

    /**
     * A loop, not started yet; from now on it owns {@code consumer}.
     *
     * @param threadName the name of the thread {@link #start()} starts
     * @param assigned called on the loop thread with the consumer and the partitions each rebalance assigns, before
     *     any of them is polled: where it seeks is where their consumption starts ({@link #COMMITTED_OFFSETS}: no
     *     seek)
     */
    PollLoop(
            String threadName,
            Consumer<byte[], byte[]> consumer,
            String topic,
            Function<ConsumerRecords<byte[], byte[]>, List<CompletableFuture<T>>> start,
            Commit<T> commit,
            BiConsumer<Consumer<byte[], byte[]>, Collection<TopicPartition>> assigned) {
        this.consumer = consumer;
        this.topic = topic;
        this.start = start;
        this.commit = commit;
        this.assigned = assigned;
        this.thread = new ConsumerThread(threadName, consumer, ConsumerThread.KAFKA_CLOSE_TIMEOUT);
    }

    /** Starts the loop on its thread; returns this. */
    PollLoop<T> start() {
        thread.start(this::consume);
        return this;
    }

    /**
     * A consumer for a loop whose batches commit in transactions ({@link TransactionalCommit}): in group
     * {@code groupId} as {@code membership} says for {@code role}, {@code read_committed}, committing nothing itself,
     * starting a partition without a committed offset at its earliest record, and polling at most
     * {@code maxPollRecords} (the batch size).
     */
    static KafkaConsumer<byte[], byte[]> transactionalConsumer(
            String bootstrapServers,
            String clientId,
            String groupId,
            int maxPollRecords,
            GroupMembership membership,
            String role) {
        var config = new HashMap<String, Object>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId,
                ConsumerConfig.GROUP_ID_CONFIG,
                groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                maxPollRecords));
        config.putAll(membership.config(role));
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Why the loop ended other than by {@link #stop()}; null while it runs (or after a stop). */
    String failure() {
        return thread.failure();
    }

    /** Wakes the loop up to stop polling and waits until it has ended and closed the consumer. */
    void stop() throws InterruptedException {
        thread.stop();
    }

    private void consume() throws InterruptedException {
        consumer.subscribe(List.of(topic), new Rebalance());
        while (thread.running()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (records.isEmpty()) {
                continue;
            }
            batch = new Batch<>(records, start.apply(records));
            consumer.pause(consumer.assignment());
            awaitBatch();
            finishBatch();
            consumer.resume(consumer.assignment());
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

    /** Waits for the batch, then commits it, or rewinds its partitions if a record or the commit failed. */
    private void finishBatch() throws InterruptedException {
        if (batch == null) {
            return;
        }
        var current = batch;
        batch = null;
        try {
            current.done.get();
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "a record of %s could not be handled; %s run again", topic, current.partitions());
            rewind(current);
            return;
        }
        if (!commit.commit(current, consumer)) {
            rewind(current);
        }
    }

    /** Seeks the batch's partitions that are still assigned back to its first offsets. */
    private void rewind(Batch<T> current) {
        var assigned = consumer.assignment();
        current.firstOffsets().forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /** The records of one poll and their outcomes; {@code done} completes when every outcome has. */
    static final class Batch<T> {
        private final ConsumerRecords<byte[], byte[]> records;
        private final List<CompletableFuture<T>> outcomes;
        private final CompletableFuture<Void> done;

        private Batch(ConsumerRecords<byte[], byte[]> records, List<CompletableFuture<T>> outcomes) {
            this.records = records;
            this.outcomes = List.copyOf(outcomes);
            this.done = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
        }

        /** The outcomes, in the order {@code start} gave them; only once all completed normally, as in a commit. */
        List<T> outcomes() {
            return outcomes.stream().map(Future::resultNow).toList();
        }

        Collection<TopicPartition> partitions() {
            return records.partitions();
        }

        /** The offset after the batch's last record, per partition: what to commit. */
        Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
            var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
            for (TopicPartition partition : records.partitions()) {
                offsets.put(
                        partition,
                        new OffsetAndMetadata(
                                records.records(partition).getLast().offset() + 1));
            }
            return offsets;
        }

        private Map<TopicPartition, Long> firstOffsets() {
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
            if (!thread.running()) {
                batch = null; // stopping: the batch is not committed, and its records run again wherever they go next
                return;
            }
            try {
                finishBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.accept(consumer, partitions);
            if (batch != null) {
                consumer.pause(partitions);
            }
        }
    }
}
