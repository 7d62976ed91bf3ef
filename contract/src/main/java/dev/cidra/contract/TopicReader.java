package dev.cidra.contract;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of one topic from its end on a thread of its own, outside any consumer group (partitions
 * assigned by hand: no rebalance, no committed offsets), and hands each record written after {@link #start()} returned
 * to a handler in partition order. A handler that throws loses that record only (logged). The reader stops when
 * closed, or when the consumer fails for good, which {@link #failure()} then reports. Partitions added to the topic
 * later are not read. Its thread's lifecycle is a {@link ConsumerThread}'s (a daemon named {@code cidra-read-<topic>}).
 *
 * <p>Only the gateway's reader of replies uses it: a latency-critical stream that starts at the end, needs no group
 * and nothing of a channel (see RATIONALE.md, "Why SmallRye channels here and raw clients there?").
 */
public final class TopicReader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicReader.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Duration closeTimeout;
    private final ConsumerThread thread;

    /**
     * @param consumer a consumer outside any group, owned by the reader from now on
     * @param closeTimeout how long closing waits for the loop and the consumer
     */
    public TopicReader(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> handler,
            Duration closeTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.closeTimeout = closeTimeout;
        this.thread = new ConsumerThread("cidra-read-" + topic, consumer, closeTimeout);
    }

    /**
     * Assigns every partition and positions the consumer at the end, then starts reading. The positions are resolved
     * before this returns, so no record published afterwards is missed.
     *
     * @throws org.apache.kafka.common.KafkaException if Kafka cannot be reached within the request timeout
     */
    public void start() {
        List<TopicPartition> partitions = partitionsOf(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
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

    /**
     * Every partition of {@code topic}, as the consumer's metadata has it.
     *
     * @throws IllegalStateException if the topic has no partitions (it does not exist)
     */
    private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions; it should have been created");
        }
        return infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }
}
