package dev.cidra.executor.service.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What may be committed when records finish out of order: a partition's commit position is its lowest record still in
 * flight, or one past the highest record started when none is, so a commit never passes a record whose effect is not
 * durable. A record that failed stays in flight until the loop rewinds its partition.
 *
 * <p>Concurrency: {@link #started}, {@link #committable} and {@link #forget} are called by the consumer's loop thread
 * only; {@link #finished} and {@link #failed} by any thread.
 */
final class OffsetTracker {
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> inFlight = new ConcurrentHashMap<>();
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> failures = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    void started(TopicPartition partition, long offset) {
        if (inFlight.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>())
                .add(offset)) {
            count.incrementAndGet();
        }
        running.incrementAndGet();
        next.merge(partition, offset + 1, Math::max);
    }

    void finished(TopicPartition partition, long offset) {
        var offsets = inFlight.get(partition);
        if (offsets != null && offsets.remove(offset)) {
            count.decrementAndGet();
        }
        running.decrementAndGet();
    }

    /** Marks a record failed: it stays in flight, holding back its partition's commits, until {@link #forget}. */
    void failed(TopicPartition partition, long offset) {
        failures.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
        running.decrementAndGet();
    }

    /** Records started that have neither finished nor failed yet. */
    int running() {
        return running.get();
    }

    /** Records started and not yet finished, failed ones included. */
    int inFlight() {
        return count.get();
    }

    /** Per partition with a failure, its lowest failed offset: where the partition must be consumed again. */
    Map<TopicPartition, Long> failed() {
        var first = new HashMap<TopicPartition, Long>();
        failures.forEach((partition, offsets) -> {
            Long offset = offsets.ceiling(Long.MIN_VALUE);
            if (offset != null) {
                first.put(partition, offset);
            }
        });
        return first;
    }

    /** The commit positions that moved since the last call. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        var positions = new HashMap<TopicPartition, OffsetAndMetadata>();
        next.forEach((partition, end) -> {
            var offsets = inFlight.get(partition);
            Long lowest = offsets == null ? null : offsets.ceiling(Long.MIN_VALUE);
            long position = lowest == null ? end : lowest;
            if (position > committed.getOrDefault(partition, -1L)) {
                committed.put(partition, position);
                positions.put(partition, new OffsetAndMetadata(position));
            }
        });
        return positions;
    }

    /**
     * Drops everything known of {@code partitions}: they were revoked, or are being consumed again. Call it only once
     * none of their records is running any more, so that no late {@link #finished} mixes old and new runs.
     */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            var offsets = inFlight.remove(partition);
            if (offsets != null) {
                count.addAndGet(-offsets.size());
            }
            failures.remove(partition);
            next.remove(partition);
            committed.remove(partition);
        }
    }
}
