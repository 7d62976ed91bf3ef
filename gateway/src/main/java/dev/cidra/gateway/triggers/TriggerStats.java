package dev.cidra.gateway.triggers;

import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a trigger is doing: from Kafka, where its consumer group stands in its topic (what it has consumed, how far it
 * lags); from the live executors' announcements, what they did with its records since they started.
 *
 * @param name the trigger's name
 * @param id its incarnation
 * @param consumed records (offsets) its group has committed past since the trigger was created, every partition
 * @param lag records (offsets) produced and not yet committed by its group, every partition
 * @param partitions the same per partition of its topic, by partition
 * @param succeeded records whose run succeeded, summed over the live executors since each started
 * @param deadLettered records sent to its dead-letter topic, summed likewise
 * @param failedAttempts failed runs (each retry counted), summed likewise
 * @param nodes the live executors that ran its records, by id
 */
public record TriggerStats(
        String name,
        String id,
        long consumed,
        long lag,
        List<Partition> partitions,
        long succeeded,
        long deadLettered,
        long failedAttempts,
        List<String> nodes) {

    /**
     * One partition of the trigger's topic.
     *
     * @param partition its number
     * @param start where the trigger started reading it
     * @param committed where its group has committed (its start when nothing yet)
     * @param end its end offset (last stable offset: what a read-committed consumer can reach)
     * @param lag {@code end - committed}, at least 0
     */
    public record Partition(int partition, long start, long committed, long end, long lag) {}

    /**
     * Folds Kafka's offsets and the nodes' counts.
     *
     * @param ends each partition's end offset now
     * @param committed where the trigger's group has committed, per partition (absent: nothing yet)
     * @param nodes the live executors
     */
    public static TriggerStats of(
            Trigger trigger, Map<Integer, Long> ends, Map<Integer, Long> committed, List<NodeInfo> nodes) {
        var partitions = new ArrayList<Partition>();
        long consumed = 0;
        long lag = 0;
        for (int partition : new TreeSet<>(ends.keySet())) {
            long start = trigger.startOffsets().getOrDefault(partition, 0L);
            long at = committed.getOrDefault(partition, start);
            long end = ends.get(partition);
            long behind = Math.max(0, end - at);
            partitions.add(new Partition(partition, start, at, end, behind));
            consumed += Math.max(0, at - start);
            lag += behind;
        }
        var counts = NodeInfo.TriggerCounts.NONE;
        var ran = new ArrayList<String>();
        for (var node : nodes) {
            var mine = node.triggers().get(trigger.id());
            if (mine != null) {
                counts = counts.plus(mine);
                ran.add(node.nodeId());
            }
        }
        return new TriggerStats(
                trigger.name(),
                trigger.id(),
                consumed,
                lag,
                List.copyOf(partitions),
                counts.succeeded(),
                counts.deadLettered(),
                counts.failedAttempts(),
                List.copyOf(ran));
    }
}
