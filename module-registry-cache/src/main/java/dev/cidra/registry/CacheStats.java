package dev.cidra.registry;

/**
 * Counters of a {@link ModuleRegistry} since it was built. Each call to {@link ModuleRegistry#fetch} or
 * {@link ModuleRegistry#fetchAsync} is counted exactly once, in {@code memoryHits}, {@code diskHits},
 * {@code storeFetches} or {@code misses}.
 *
 * @param memoryHits fetches answered by the memory tier, including those that joined a load already in flight for the
 *     same CID and got its content
 * @param diskHits loads answered by the disk cache
 * @param storeFetches loads answered by a content store
 * @param misses fetches that failed: not found, too large, content mismatch or an I/O error
 * @param evictions entries evicted from the memory tier to keep it within its byte bound
 * @param memoryBytes bytes of content held by the memory tier
 */
public record CacheStats(
        long memoryHits, long diskHits, long storeFetches, long misses, long evictions, long memoryBytes) {}
