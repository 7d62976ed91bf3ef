package dev.cidra.gateway.nodes;

import dev.cidra.contract.NodeInfo;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executors this replica knows, folded from their announcements on {@code cidra.nodes}: the latest announcement
 * of each node, until its goodbye (a tombstone) or until it missed {@link NodeInfo#MISSED_HEARTBEATS} heartbeats by
 * this replica's clock; and, for every module a node announced as provided, the last node that did, for as long as the
 * replica runs (a provided module stays provider-only while its providers are gone). Thread-safe; reads are snapshots.
 */
@Singleton
public class NodeView {
    private final ConcurrentHashMap<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> providers = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock tells the nodes that missed their heartbeats */
    public NodeView(Clock clock) {
        this.clock = clock;
    }

    /** Takes an announcement; an older one than the node's latest (a reordered record) changes nothing. */
    public void announced(NodeInfo node) {
        node.providedModules().forEach(cid -> providers.put(cid, node.nodeId()));
        nodes.merge(
                node.nodeId(), node, (known, next) -> next.heartbeatAt().isBefore(known.heartbeatAt()) ? known : next);
    }

    /**
     * The node that last announced {@code cid} as a module it provides, live or gone; empty if none did since this
     * replica started.
     */
    public Optional<String> lastProviderOf(String cid) {
        return Optional.ofNullable(providers.get(cid));
    }

    /** Whether any node announced a provided module since this replica started. */
    public boolean anyProvider() {
        return !providers.isEmpty();
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
