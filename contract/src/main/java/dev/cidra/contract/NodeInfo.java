package dev.cidra.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an executor announces of itself on {@link Topics#NODES}, keyed by {@link #nodeId()}: at start, then every
 * {@link #heartbeatIntervalMillis()}. Immutable; lists and maps are copies.
 *
 * @param nodeId the node's id, as its replies and job events name it
 * @param version the executor's build version
 * @param engine the Truffle implementation running guests, e.g. {@code GraalVM CE}
 * @param engineMode {@code COMPILED} (Graal JIT) or {@code INTERPRETED}
 * @param labels the operator's labels for the node ({@code cidra.node.labels})
 * @param linkedModules the entry CIDs the node holds linked and ready to run, most recently used first where known
 * @param providedModules the CIDs only this kind of node serves (empty: it serves every public module)
 * @param slots how many guests it runs at once
 * @param running how many guests it runs now
 * @param startedAt when the node started
 * @param heartbeatAt when this announcement was made
 * @param heartbeatIntervalMillis how often the node announces itself
 */
public record NodeInfo(
        String nodeId,
        String version,
        String engine,
        String engineMode,
        Map<String, String> labels,
        List<String> linkedModules,
        List<String> providedModules,
        int slots,
        int running,
        Instant startedAt,
        Instant heartbeatAt,
        long heartbeatIntervalMillis) {

    /** Announcements older than this many intervals mean the node is gone. */
    public static final int MISSED_HEARTBEATS = 3;

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public NodeInfo {
        Require.nonBlank(nodeId, "nodeId");
        Require.nonBlank(version, "version");
        Require.nonBlank(engine, "engine");
        Require.nonBlank(engineMode, "engineMode");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        linkedModules = Require.strings(linkedModules, "linkedModules");
        providedModules = Require.strings(providedModules, "providedModules");
        Require.atLeast(slots, 1, "slots");
        Require.atLeast(running, 0, "running");
        if (startedAt == null || heartbeatAt == null) {
            throw new IllegalArgumentException((startedAt == null ? "startedAt" : "heartbeatAt") + " must be set");
        }
        Require.atLeast(heartbeatIntervalMillis, 1, "heartbeatIntervalMillis");
    }

    /** Whether, at {@code now}, the node has missed {@link #MISSED_HEARTBEATS} announcements: it is gone. */
    public boolean staleAt(Instant now) {
        return heartbeatAt
                .plus(Duration.ofMillis(heartbeatIntervalMillis * MISSED_HEARTBEATS))
                .isBefore(now);
    }
}
