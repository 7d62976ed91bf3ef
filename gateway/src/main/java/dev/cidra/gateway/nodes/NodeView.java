package dev.cidra.gateway.nodes;

import dev.cidra.contract.NodeInfo;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executors this replica knows, folded from their announcements on {@code cidra.nodes}: the latest announcement
 * of each node, until its goodbye (a tombstone) or until it missed {@link NodeInfo#MISSED_HEARTBEATS} heartbeats by
 * this replica's clock. Thread-safe; reads are snapshots.
 */
@Singleton
public class NodeView {
    private final ConcurrentHashMap<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    private final Clock clock;

    public NodeView(Clock clock) {
        this.clock = clock;
    }

    /** Takes an announcement; an older one than the node's latest (a reordered record) changes nothing. */
    public void announced(NodeInfo node) {
        nodes.merge(
                node.nodeId(), node, (known, next) -> next.heartbeatAt().isBefore(known.heartbeatAt()) ? known : next);
    }

    /** Takes a node's goodbye. */
    public void left(String nodeId) {
        nodes.remove(nodeId);
    }

    /** The live nodes, by id. */
    public List<NodeInfo> list() {
        var now = clock.instant();
        nodes.values().removeIf(node -> node.staleAt(now));
        return nodes.values().stream()
                .sorted(Comparator.comparing(NodeInfo::nodeId))
                .toList();
    }

    /**
     * The live node {@code nodeId}.
     *
     * @throws NodeNotFoundException if no live node has that id
     */
    public NodeInfo get(String nodeId) {
        var node = nodes.get(nodeId);
        if (node == null || node.staleAt(clock.instant())) {
            throw new NodeNotFoundException(nodeId);
        }
        return node;
    }
}
