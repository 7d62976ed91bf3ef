package dev.cidra.contract;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a reader of a whole topic (every partition, from the beginning) is from the end offsets the partitions had
 * when they were first assigned to it: it has caught up once it has handled every record below them. Once caught up it
 * stays so. Thread-safe.
 *
 * <p>A partition counts as read up to the last record handled, and, after a {@link #probe} that finds every record the
 * consumer returned handled, up to the consumer's position, which also passes what a reader never sees (transaction
 * markers, records of aborted transactions, offsets compaction removed): without the probe a partition ending in a
 * transaction marker would never count as read.
 */
public final class CatchUp {
    /** The consumer's count of the records its polls returned. */
    private static final String RETURNED = "records-consumed-total";

    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private final Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean assigned;
    private volatile long behind = -1;

    /**
     * On the consumer's thread, when partitions are assigned: the end offsets (for a {@code read_committed} consumer,
     * the last stable offsets) of those never assigned before become theirs to reach.
     */
    public void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        var fresh = partitions.stream().filter(p -> !ends.containsKey(p)).toList();
        if (!fresh.isEmpty()) {
            consumer.endOffsets(fresh).forEach(ends::putIfAbsent);
        }
        assigned = true;
        probe(consumer);
    }

    /** After a record was handled, whether handling succeeded or not. */
    public void handled(ConsumerRecord<?, ?> record) {
        read.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        handled.incrementAndGet();
        update();
    }

    /**
     * On the consumer's thread, between polls: if every record its polls returned has been handled, each partition
     * counts as read up to the consumer's position.
     */
    public void probe(Consumer<?, ?> consumer) {
        if (behind == 0 || returned(consumer) != handled.get()) {
            return;
        }
        for (TopicPartition partition : ends.keySet()) {
            read.merge(partition, consumer.position(partition), Math::max);
        }
        update();
    }

    /** Whether every record below the end offsets at assignment has been handled. */
    public boolean caughtUp() {
        return behind == 0;
    }

    /** Offsets still to read up to those end offsets; -1 before any partition was assigned. */
    public long behind() {
        return behind;
    }

    private synchronized void update() {
        if (!assigned || behind == 0) {
            return;
        }
        long sum = 0;
        for (var end : ends.entrySet()) {
            sum += Math.max(0, end.getValue() - read.getOrDefault(end.getKey(), 0L));
        }
        behind = sum;
    }

    /** How many records the consumer's polls returned in all, or -1 if it does not say. */
    private static long returned(Consumer<?, ?> consumer) {
        for (var metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals(RETURNED)
                    && name.group().equals(FETCH_GROUP)
                    && !name.tags().containsKey("topic")
                    && metric.getValue().metricValue() instanceof Number count) {
                return (long) count.doubleValue();
            }
        }
        return -1;
    }
}
