package dev.cidra.contract;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition of a topic from its end on a thread of its own, outside any consumer group (the partition
 * assigned by hand: no rebalance, no committed offsets), and hands each record written after {@link #start()} returned
 * to a handler in order. A handler that throws loses that record only (logged). The reader stops when closed, or when
 * the consumer fails for good, which {@link #failure()} then reports. Its thread's lifecycle is a
 * {@link ConsumerThread}'s (a daemon named {@code cidra-read-<topic>-<partition>}).
 *
 * <p>Only the gateway's reader of its own reply partition uses it: a latency-critical stream that starts at the end,
 * needs no group and nothing of a channel (see RATIONALE.md, "Why SmallRye channels here and raw clients there?").
 */
public final class TopicReader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicReader.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Duration closeTimeout;
    private final ConsumerThread thread;

    /**
     * @param consumer a consumer outside any group, owned by the reader from now on
     * @param closeTimeout how long closing waits for the loop and the consumer
     */
    public TopicReader(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            Consumer<ConsumerRecord<byte[], byte[]>> handler,
            Duration closeTimeout) {
        this.consumer = consumer;
        this.partition = partition;
        this.handler = handler;
        this.closeTimeout = closeTimeout;
        this.thread = new ConsumerThread("cidra-read-" + partition, consumer, closeTimeout);
    }

    /**
     * Assigns the partition and positions the consumer at its end, then starts reading. The position is resolved
     * before this returns, so no record published afterwards is missed.
     *
     * @throws IllegalStateException if the topic does not have the partition
     * @throws org.apache.kafka.common.KafkaException if Kafka cannot be reached within the request timeout
     */
    public void start() {
        List<PartitionInfo> infos = consumer.partitionsFor(partition.topic());
        int count = infos == null ? 0 : infos.size();
        if (partition.partition() >= count) {
            throw new IllegalStateException("topic " + partition.topic() + " has " + count
                    + " partitions, so no partition " + partition.partition() + " to read");
        }
        List<TopicPartition> assigned = List.of(partition);
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        consumer.position(partition);
        thread.start(this::read);
    }

    /** Why the reader stopped for good, or null while it reads. */
    public String failure() {
        return thread.failure();
    }

    /**
     * Stops the loop and closes the consumer, waiting for the loop to end (at most the close timeout); an interrupt
     * while waiting ends the wait and stays set.
     */
    @Override
    public void close() {
        try {
            thread.stop(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        while (thread.running()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                try {
                    handler.accept(record);
                } catch (RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "record " + DeadLetter.origin(record) + " could not be handled; skipped",
                            e);
                }
            }
        }
    }
}
