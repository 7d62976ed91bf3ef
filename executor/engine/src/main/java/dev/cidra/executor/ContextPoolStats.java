package dev.cidra.executor;

/**
 * Counters of a {@link WasmRuntime}'s pool of pre-instantiated contexts since the runtime was built. Every invocation
 * that reaches its run is counted once, in {@code hits} or {@code misses}.
 *
 * @param hits invocations that ran in a context instantiated ahead by the pool
 * @param misses invocations that built and instantiated their own context (a cold module, or a pool drawn empty)
 * @param contexts contexts ready in the pool now
 * @param bytes bytes the ready contexts are charged now (their modules' initial memories plus a per-context overhead)
 */
public record ContextPoolStats(long hits, long misses, long contexts, long bytes) {}
