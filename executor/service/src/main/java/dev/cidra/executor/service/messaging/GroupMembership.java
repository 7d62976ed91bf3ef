package dev.cidra.executor.service.messaging;

import dev.cidra.executor.service.config.ExecutorConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * How this node's group consumers take part in their consumer groups, so that a node that dies hands its partitions
 * over within {@link ExecutorConfig.Kafka#sessionTimeout()} and one that restarts takes its own back without a
 * rebalance:
 *
 * <ul>
 *   <li>static membership: each consumer has a {@code group.instance.id} made of the node id and the consumer's role,
 *       stable across restarts of the node. Two nodes with one node id would fence each other; node ids are unique.
 *   <li>a short session ({@code session.timeout.ms}, {@code heartbeat.interval.ms}), the only bound on how long the
 *       partitions of a killed node stay unconsumed.
 *   <li>the cooperative-sticky assignor: a rebalance moves only the partitions that change owner, so the surviving
 *       nodes go on with theirs (and with their batch in flight) while the dead node's are handed over.
 * </ul>
 *
 * A consumer leaves its group when it is closed ({@link dev.cidra.contract.ConsumerThread}), so a graceful stop hands
 * its partitions over at once.
 *
 * @param nodeId this node's id ({@code cidra.execution.node-id})
 */
record GroupMembership(ExecutorConfig.Kafka kafka, String nodeId) {
    /** The consumer settings of the consumer with {@code role} (unique among this node's group consumers). */
    Map<String, Object> config(String role) {
        return Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                nodeId + "-" + role,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                Math.toIntExact(kafka.sessionTimeout().toMillis()),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Math.toIntExact(kafka.heartbeatInterval().toMillis()),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
    }
}
