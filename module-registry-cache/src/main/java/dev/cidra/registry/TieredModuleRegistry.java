package dev.cidra.registry;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Memory (Caffeine, weighed by byte length), then the optional disk cache, then the stores. Loads are single-flight
 * because the memory tier holds the future of a load from its start; Caffeine drops a future that completes without
 * content, so failures are not cached.
 */
final class TieredModuleRegistry implements ModuleRegistry {
    private static final System.Logger LOG = System.getLogger(ModuleRegistry.class.getName());

    private final AsyncCache<Cid, byte[]> memory;
    private final DiskCache disk;
    private final List<ContentStore> stores;
    private final long maxModuleBytes;
    private final ExecutorService ownExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder memoryHits = new LongAdder();
    private final LongAdder diskHits = new LongAdder();
    private final LongAdder storeFetches = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * @param disk null for none
     * @param executor null for a virtual thread per task, owned and shut down by {@link #close}
     */
    TieredModuleRegistry(
            long memoryCacheBytes, DiskCache disk, List<ContentStore> stores, long maxModuleBytes, Executor executor) {
        this.disk = disk;
        this.stores = stores;
        this.maxModuleBytes = maxModuleBytes;
        this.ownExecutor = executor == null
                ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("cidra-registry-", 0).factory())
                : null;
        this.memory = Caffeine.newBuilder()
                .maximumWeight(memoryCacheBytes)
                .<Cid, byte[]>weigher((cid, content) -> content.length)
                .evictionListener((cid, content, cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .executor(executor == null ? ownExecutor : executor)
                .buildAsync();
    }

    @Override
    public byte[] fetch(Cid cid) {
        var future = fetchAsync(cid);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting for module " + cid, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new RegistryException(cause.toString(), cause);
    }

    @Override
    public CompletableFuture<byte[]> fetchAsync(Cid cid) {
        Objects.requireNonNull(cid, "cid");
        requireOpen();
        var startedLoad = new AtomicBoolean();
        CompletableFuture<byte[]> entry = memory.get(cid.toV1(), (key, executor) -> {
            startedLoad.set(true);
            var load = new Load();
            executor.execute(() -> load.run(() -> load(cid, key)));
            return load;
        });
        var outcome = entry instanceof Load load ? load.outcome : entry;
        // A dependent future: the caller cannot complete or cancel the shared one, and sees the counters updated.
        return outcome.whenComplete((content, failure) -> {
            if (failure != null) {
                misses.increment();
            } else if (!startedLoad.get()) {
                memoryHits.increment();
            }
        });
    }

    /**
     * What the memory tier holds while a CID loads. It completes with the content, or with null on failure so that
     * Caffeine drops the entry without logging; only then does {@link #outcome}, which callers wait on, complete with
     * the content or the failure. So a caller that sees the content also sees it weighed by the memory tier.
     */
    private static final class Load extends CompletableFuture<byte[]> {
        final CompletableFuture<byte[]> outcome = new CompletableFuture<>();

        void run(Supplier<byte[]> loader) {
            byte[] content;
            try {
                content = loader.get();
            } catch (Throwable t) {
                complete(null);
                outcome.completeExceptionally(t);
                return;
            }
            complete(content);
            outcome.complete(content);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    /** Runs once per memory miss of {@code key}; {@code cid} is the form the caller asked for, passed to the stores. */
    private byte[] load(Cid cid, Cid key) {
        if (disk != null) {
            var cached = disk.read(key, maxModuleBytes);
            if (cached.isPresent()) {
                diskHits.increment();
                return cached.get();
            }
        }
        RegistryException failure = null;
        for (var store : stores) {
            if (Thread.currentThread().isInterrupted()) {
                throw new RegistryException("interrupted while fetching module " + cid, failure);
            }
            try {
                var found = store.fetch(cid, maxModuleBytes);
                if (found.isPresent()) {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "fetched " + cid + " from " + store.describe() + " after: " + failure);
                    }
                    if (disk != null) {
                        disk.write(key, found.get());
                    }
                    storeFetches.increment();
                    return found.get();
                }
            } catch (RegistryException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        throw new ModuleNotFoundException("module " + cid + " not found; tried: " + String.join(", ", tried()));
    }

    private List<String> tried() {
        var tried = new ArrayList<String>();
        tried.add("memory");
        if (disk != null) {
            tried.add(disk.describe());
        }
        if (stores.isEmpty()) {
            tried.add("(no content stores configured)");
        }
        stores.forEach(store -> tried.add(store.describe()));
        return tried;
    }

    @Override
    public Cid put(byte[] content) {
        Objects.requireNonNull(content, "content");
        requireOpen();
        byte[] copy = content.clone();
        var cid = Cid.rawOf(copy);
        if (copy.length > maxModuleBytes) {
            throw ContentChecks.tooLarge(cid, maxModuleBytes, "the bytes given to put");
        }
        if (disk != null) {
            disk.write(cid, copy);
        }
        memory.put(cid, CompletableFuture.completedFuture(copy));
        return cid;
    }

    @Override
    public CacheStats stats() {
        var cache = memory.synchronous();
        cache.cleanUp();
        long memoryBytes =
                cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
        return new CacheStats(
                memoryHits.sum(), diskHits.sum(), storeFetches.sum(), misses.sum(), evictions.sum(), memoryBytes);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            memory.synchronous().invalidateAll();
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the module registry is closed");
        }
    }
}
