package dev.cidra.executor.service.messaging;

import dev.cidra.contract.Producers;
import dev.cidra.contract.Trigger;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.triggers.TriggerRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One {@link Trigger} running on this node: a consumer of its topic in the trigger's group (so the partitions are
 * shared among the executors), a {@link PollLoop} whose batches run on {@code concurrency} worker threads, and a
 * transactional producer.
 *
 * <p>Order and delivery: the records of one partition run one after another in offset order, and their outputs are
 * sent in that order; partitions run side by side. A batch's outputs and dead letters and its offsets are committed in
 * one transaction ({@link TransactionalCommit}), so for a {@code read_committed} reader of the output topic every input
 * record has exactly one outcome, however often it ran: a crash or rebalance before the commit aborts the outputs and
 * the records run again. The producer's {@code transactional.id} is {@code cidra-trigger-<name>-<id>-<node id>}: a
 * restarted node fences its former self at once. A partition the group has committed nothing for starts at the
 * trigger's {@link Trigger#startOffsets() start offset}, else at its earliest record.
 */
final class TriggerLoop {
    /** The most records a batch (one transaction) holds. */
    static final int MAX_BATCH_RECORDS = 100;

    private final Trigger trigger;
    private final TriggerRunner runner;
    private final ExecutorService workers;
    private final KafkaProducer<byte[], byte[]> transactions;
    private final PollLoop<List<ProducerRecord<byte[], byte[]>>> loop;

    private TriggerLoop(Trigger trigger, TriggerRunner runner, ExecutorConfig.Kafka kafka, String nodeId) {
        this.trigger = trigger;
        this.runner = runner;
        String clientId = "cidra-trigger-" + trigger.name();
        this.transactions = Producers.create(
                kafka.bootstrapServers(),
                clientId,
                kafka.requestTimeout(),
                Optional.of(clientId + "-" + trigger.id() + "-" + nodeId));
        this.workers = Executors.newFixedThreadPool(
                trigger.concurrency(),
                Thread.ofPlatform().name(clientId + "-", 0).daemon(true).factory());
        KafkaConsumer<byte[], byte[]> consumer = null;
        try {
            transactions.initTransactions();
            consumer = PollLoop.transactionalConsumer(
                    kafka.bootstrapServers(),
                    clientId,
                    trigger.groupId(),
                    MAX_BATCH_RECORDS,
                    new GroupMembership(kafka, nodeId),
                    "trigger-" + trigger.id());
            this.loop = new PollLoop<>(
                            clientId,
                            consumer,
                            trigger.topic(),
                            this::run,
                            new TransactionalCommit(transactions),
                            this::position)
                    .start();
        } catch (RuntimeException e) {
            if (consumer != null) {
                consumer.close();
            }
            workers.shutdownNow();
            transactions.close();
            throw e;
        }
    }

    /**
     * Starts consuming the trigger's topic.
     *
     * @throws org.apache.kafka.common.KafkaException if the transactional producer cannot be initialized
     */
    static TriggerLoop start(Trigger trigger, TriggerRunner runner, ExecutorConfig.Kafka kafka, String nodeId) {
        return new TriggerLoop(trigger, runner, kafka, nodeId);
    }

    Trigger trigger() {
        return trigger;
    }

    /** Why the loop ended other than by {@link #stop()}; null while it runs. */
    String failure() {
        return loop.failure();
    }

    /**
     * Stops consuming at once: a batch in flight is dropped, uncommitted (its records run again wherever the partitions
     * go next, and none of its outputs becomes visible); then interrupts the workers and closes the producer.
     */
    void stop() throws InterruptedException {
        try {
            loop.stop();
        } finally {
            workers.shutdownNow();
            transactions.close();
        }
    }

    /** Chains each partition's records in offset order on the workers; one outcome per record, partition by partition. */
    private List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> run(ConsumerRecords<byte[], byte[]> records) {
        var outcomes = new ArrayList<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>>();
        for (TopicPartition partition : records.partitions()) {
            CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                var outcome = previous.thenApplyAsync(done -> runner.run(trigger, record), workers);
                outcomes.add(outcome);
                previous = outcome;
            }
        }
        return outcomes;
    }

    /** Seeks each assigned partition without a committed offset to the trigger's start offset, or its beginning. */
    private void position(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        var committed = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
            if (committed.get(partition) != null) {
                continue;
            }
            Long start = trigger.startOffsets().get(partition.partition());
            if (start == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, start);
            }
        }
    }
}
