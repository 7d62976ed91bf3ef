package dev.cidra.executor;

/**
 * Counters of a {@link WasmRuntime}'s linked-module cache since the runtime was built. Every invocation that reaches
 * linking is counted exactly once, in {@code hits} or {@code misses}.
 *
 * @param hits invocations whose linked module was already cached
 * @param misses invocations that had to fetch and link their module graph, whether or not that succeeded
 * @param evictions linked modules evicted to keep the cache within its byte bound
 * @param bytes module bytes the cache holds now (its weight)
 */
public record LinkCacheStats(long hits, long misses, long evictions, long bytes) {}
