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
 * @param cache the node's linked-module cache since it started; null (a node that does not report it) means
 *     {@link Cache#NONE}
 * @param triggers per trigger incarnation ({@link Trigger#id()}) the node runs or ran, what it did with its records
 *     since the node started; null means none
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
        long heartbeatIntervalMillis,
        Cache cache,
        Map<String, TriggerCounts> triggers) {

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
        cache = cache == null ? Cache.NONE : cache;
        triggers = triggers == null ? Map.of() : Map.copyOf(triggers);
    }

    /**
     * The linked-module cache of a node: every call that reaches linking counts once, in {@code hits} or
     * {@code misses}.
     *
     * @param hits calls whose linked module was cached
     * @param misses calls that fetched and linked their module graph
     * @param evictions linked modules evicted to stay within the cache's byte bound
     * @param bytes module bytes held now
     */
    public record Cache(long hits, long misses, long evictions, long bytes) {
        /** Nothing cached, nothing counted. */
        public static final Cache NONE = new Cache(0, 0, 0, 0);

        /** @throws IllegalArgumentException naming a negative count */
        public Cache {
            Require.atLeast(hits, 0, "cache.hits");
            Require.atLeast(misses, 0, "cache.misses");
            Require.atLeast(evictions, 0, "cache.evictions");
            Require.atLeast(bytes, 0, "cache.bytes");
        }
    }

    /**
     * What one node did with one trigger's records since it started; each record it finished counts once, in
     * {@code succeeded} or {@code deadLettered}.
     *
     * @param succeeded records whose run succeeded (their output sent or published)
     * @param deadLettered records sent to the dead-letter topic once every attempt failed
     * @param failedAttempts failed runs, each retry counted (so a dead-lettered record counts every attempt)
     */
    public record TriggerCounts(long succeeded, long deadLettered, long failedAttempts) {
        /** No records yet. */
        public static final TriggerCounts NONE = new TriggerCounts(0, 0, 0);

        /** @throws IllegalArgumentException naming a negative count */
        public TriggerCounts {
            Require.atLeast(succeeded, 0, "succeeded");
            Require.atLeast(deadLettered, 0, "deadLettered");
            Require.atLeast(failedAttempts, 0, "failedAttempts");
        }

        /** The sum of both nodes' counts. */
        public TriggerCounts plus(TriggerCounts other) {
            return new TriggerCounts(
                    succeeded + other.succeeded,
                    deadLettered + other.deadLettered,
                    failedAttempts + other.failedAttempts);
        }
    }

    /** Whether, at {@code now}, the node has missed {@link #MISSED_HEARTBEATS} announcements: it is gone. */
    public boolean staleAt(Instant now) {
        return heartbeatAt
                .plus(Duration.ofMillis(heartbeatIntervalMillis * MISSED_HEARTBEATS))
                .isBefore(now);
    }
}
