package dev.cidra.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Verified module bytes by CID, from a tiered cache in front of {@linkplain ContentStore content stores}.
 *
 * <p>A fetch looks in three tiers, in order:
 *
 * <ol>
 *   <li>memory: a cache bounded by the summed byte length of its entries;
 *   <li>the disk cache, if configured: one file per CID, written atomically (temporary file and rename) and verified
 *       again on every read; a corrupt file is deleted and the CID fetched again, never served;
 *   <li>the content stores, in the order they were added; the first that holds the CID wins. A store that fails is
 *       skipped if a later store has the content.
 * </ol>
 *
 * Content found in a lower tier is copied to the tiers above it. A CIDv0 and its CIDv1 share one cache entry.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Only bytes verified against the CID are returned or cached.
 *   <li>Concurrent fetches of one CID that misses the memory tier share one load.
 *   <li>A failed fetch (not found, too large, content mismatch, I/O error) caches nothing in any tier; the next fetch
 *       of that CID tries again.
 *   <li>No module larger than {@link Builder#maxModuleBytes} is read beyond the limit or returned.
 * </ul>
 *
 * <p>The returned arrays are shared with the cache and with other callers: they must not be modified. Thread-safe.
 */
public interface ModuleRegistry extends AutoCloseable {

    /** A builder with no stores, no disk cache, a 128 MiB memory tier and a 64 MiB module limit. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the content of {@code cid}, blocking until it is available.
     *
     * @throws ModuleNotFoundException if no tier or store holds it; the message lists every place tried
     * @throws ModuleTooLargeException if it is larger than the module limit; the message names the CID and the limit
     * @throws ContentMismatchException if a store had the wrong bytes for it and no later store had the right ones
     * @throws RegistryException if a store failed and no later store had it (other stores' failures are suppressed
     *     exceptions of the first), or if the calling thread is interrupted while waiting (the interrupt
     *     flag is kept, and the load goes on for other callers)
     * @throws IllegalStateException if the registry is closed
     */
    byte[] fetch(Cid cid);

    /**
     * Returns the content of {@code cid} without blocking. The future fails with the exceptions {@link #fetch} throws
     * (wrapped in a {@code CompletionException} or {@code ExecutionException} by {@code join} and {@code get});
     * cancelling it does not cancel the load, which other callers may share.
     *
     * @throws IllegalStateException if the registry is closed
     */
    CompletableFuture<byte[]> fetchAsync(Cid cid);

    /**
     * Caches {@code content} (a copy of it) in the memory and disk tiers under its raw CIDv1 and returns that CID. No
     * content store is written.
     *
     * @throws ModuleTooLargeException if {@code content} is larger than the module limit
     * @throws IllegalStateException if the registry is closed
     */
    Cid put(byte[] content);

    /** The counters since this registry was built, with pending evictions applied. */
    CacheStats stats();

    /**
     * Empties the memory tier and stops the registry's own loading threads, interrupting loads in flight. The disk
     * cache is kept. Later calls to {@code fetch}, {@code fetchAsync} and {@code put} fail. Idempotent.
     */
    @Override
    void close();

    /** Configures a {@link ModuleRegistry}; each option may be set once, except {@link #store}. Not thread-safe. */
    final class Builder {
        static final long DEFAULT_MEMORY_CACHE_BYTES = 128L * 1024 * 1024;
        static final long DEFAULT_MAX_MODULE_BYTES = 64L * 1024 * 1024;

        private final List<ContentStore> stores = new ArrayList<>();
        private long memoryCacheBytes = -1;
        private long maxModuleBytes = -1;
        private Path diskCache;
        private Executor executor;

        private Builder() {}

        /**
         * Bounds the memory tier by the summed length of the cached modules (default 128 MiB). Least valuable entries
         * are evicted first; a module larger than the bound is not kept in memory.
         *
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder memoryCacheBytes(long bytes) {
            requireUnset(memoryCacheBytes == -1, "memoryCacheBytes");
            if (bytes < 0) {
                throw new IllegalArgumentException("memoryCacheBytes must not be negative, was " + bytes);
            }
            memoryCacheBytes = bytes;
            return this;
        }

        /**
         * Adds a disk tier in {@code dir}, created if missing when the registry is built. Several registries, also in
         * other processes, may share it.
         *
         * @throws IllegalStateException if already set
         */
        public Builder diskCache(Path dir) {
            requireUnset(diskCache == null, "diskCache");
            diskCache = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Adds a content store, tried after the stores added before it. */
        public Builder store(ContentStore store) {
            stores.add(Objects.requireNonNull(store, "store"));
            return this;
        }

        /**
         * The largest module fetched or put (default 64 MiB).
         *
         * @throws IllegalArgumentException unless between 1 and {@code Integer.MAX_VALUE - 16}
         * @throws IllegalStateException if already set
         */
        public Builder maxModuleBytes(long bytes) {
            requireUnset(maxModuleBytes == -1, "maxModuleBytes");
            if (bytes < 1 || bytes > ContentChecks.MAX_LIMIT) {
                throw new IllegalArgumentException(
                        "maxModuleBytes must be between 1 and " + ContentChecks.MAX_LIMIT + ", was " + bytes);
            }
            maxModuleBytes = bytes;
            return this;
        }

        /**
         * Runs loads (which block on disk and network I/O) and cache maintenance on {@code executor}, which the caller
         * shuts down. By default the registry starts a virtual thread per load and stops them on {@link #close}. An
         * executor that runs tasks on the calling thread (e.g. {@code Runnable::run}) makes every load run inside the
         * fetch that starts it.
         *
         * @throws IllegalStateException if already set
         */
        public Builder executor(Executor executor) {
            requireUnset(this.executor == null, "executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @throws java.io.UncheckedIOException if the disk cache directory cannot be created
         */
        public ModuleRegistry build() {
            return new TieredModuleRegistry(
                    memoryCacheBytes == -1 ? DEFAULT_MEMORY_CACHE_BYTES : memoryCacheBytes,
                    diskCache == null ? null : new DiskCache(diskCache),
                    List.copyOf(stores),
                    maxModuleBytes == -1 ? DEFAULT_MAX_MODULE_BYTES : maxModuleBytes,
                    executor);
        }

        private static void requireUnset(boolean unset, String option) {
            if (!unset) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
