package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.testing.TestContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleRegistryTest {
    @TempDir
    Path storeDir;

    @TempDir
    Path otherStoreDir;

    @TempDir
    Path cacheDir;

    private final byte[] content = TestContent.random(40_000, 20);
    private final Cid cid = Cid.rawOf(content);

    /** Counts fetches of a real store and can hold them at a gate. */
    private static final class CountingStore implements ContentStore {
        final ContentStore delegate;
        final AtomicInteger fetches = new AtomicInteger();
        volatile Runnable beforeFetch = () -> {};

        CountingStore(ContentStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<byte[]> fetch(Cid cid, long maxBytes) {
            fetches.incrementAndGet();
            beforeFetch.run();
            return delegate.fetch(cid, maxBytes);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }

    private CountingStore store(Path dir) {
        return new CountingStore(ContentStore.directory(dir));
    }

    private static void write(Path dir, Cid cid, byte[] bytes) throws IOException {
        Files.write(dir.resolve(cid.toString()), bytes);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void tiersAreTriedMemoryThenDiskThenStores() throws IOException {
        write(storeDir, cid, content);
        var store = store(storeDir);

        try (var registry =
                ModuleRegistry.builder().diskCache(cacheDir).store(store).build()) {
            assertArrayEquals(content, registry.fetch(cid));
            assertArrayEquals(content, registry.fetch(cid));
            assertEquals(1, store.fetches.get());
            assertEquals(new CacheStats(1, 0, 1, 0, 0, content.length), registry.stats());
        }
        try (var registry =
                ModuleRegistry.builder().diskCache(cacheDir).store(store).build()) {
            assertArrayEquals(content, registry.fetch(cid));
            assertEquals(1, store.fetches.get(), "the disk tier answered");
            assertEquals(new CacheStats(0, 1, 0, 0, 0, content.length), registry.stats());
        }
    }

    @Test
    void storesAreTriedInOrderAndTheFirstThatHasTheModuleWins() throws IOException {
        write(otherStoreDir, cid, content);
        write(storeDir, cid, content);
        var empty = new CountingStore(ContentStore.directory(cacheDir.resolve("empty")));
        var second = store(otherStoreDir);
        var third = store(storeDir);

        try (var registry =
                ModuleRegistry.builder().store(empty).store(second).store(third).build()) {
            assertArrayEquals(content, registry.fetch(cid));
        }
        assertEquals(List.of(1, 1, 0), List.of(empty.fetches.get(), second.fetches.get(), third.fetches.get()));
    }

    @Test
    void concurrentMissesForOneCidFetchOnce() throws Exception {
        write(storeDir, cid, content);
        var store = store(storeDir);
        int threads = 16;
        var arrived = new CountDownLatch(threads);
        // The load waits until every thread is about to fetch, so the others find it in flight.
        store.beforeFetch = () -> await(arrived);

        try (var registry = ModuleRegistry.builder().store(store).build();
                var pool = Executors.newFixedThreadPool(threads)) {
            var results = new ArrayList<Future<byte[]>>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    arrived.countDown();
                    return registry.fetch(cid);
                }));
            }
            for (var result : results) {
                assertArrayEquals(content, result.get(20, TimeUnit.SECONDS));
            }
            assertEquals(1, store.fetches.get());
            var stats = registry.stats();
            assertEquals(1, stats.storeFetches());
            assertEquals(threads - 1, stats.memoryHits());
        }
    }

    @Test
    void memoryTierIsBoundedByBytesAndEvicts() throws IOException {
        int moduleBytes = 24 * 1024;
        var cids = new ArrayList<Cid>();
        for (int i = 0; i < 4; i++) {
            byte[] module = TestContent.random(moduleBytes, 100 + i);
            cids.add(Cid.rawOf(module));
            write(storeDir, cids.get(i), module);
        }
        var store = store(storeDir);
        long bound = 64 * 1024;

        try (var registry =
                ModuleRegistry.builder().memoryCacheBytes(bound).store(store).build()) {
            cids.forEach(registry::fetch);
            var stats = registry.stats();
            // At most two 24 KiB modules fit in 64 KiB.
            assertTrue(stats.memoryBytes() <= bound, stats.toString());
            assertTrue(stats.memoryBytes() >= moduleBytes, stats.toString());
            assertTrue(stats.evictions() >= 2, stats.toString());

            cids.forEach(registry::fetch);
            assertTrue(store.fetches.get() >= 6, "evicted modules were fetched again: " + store.fetches.get());
            assertTrue(registry.stats().memoryBytes() <= bound);
        }
    }

    @Test
    void diskTierSurvivesANewRegistry() throws IOException {
        write(storeDir, cid, content);
        try (var registry = ModuleRegistry.builder()
                .diskCache(cacheDir)
                .store(store(storeDir))
                .build()) {
            registry.fetch(cid);
        }
        assertEquals(List.of(cacheDir.resolve(cid.toString())), files(cacheDir), "one file, no temporary files");

        try (var offline = ModuleRegistry.builder().diskCache(cacheDir).build()) {
            assertArrayEquals(content, offline.fetch(cid));
            assertEquals(1, offline.stats().diskHits());
        }
    }

    @Test
    void corruptDiskFileIsFetchedAgainAndReplaced() throws IOException {
        write(storeDir, cid, content);
        var store = store(storeDir);
        try (var registry =
                ModuleRegistry.builder().diskCache(cacheDir).store(store).build()) {
            registry.fetch(cid);
        }
        Path cached = cacheDir.resolve(cid.toString());
        Files.write(cached, TestContent.random(content.length, 21));

        try (var registry =
                ModuleRegistry.builder().diskCache(cacheDir).store(store).build()) {
            assertArrayEquals(content, registry.fetch(cid));
            assertEquals(0, registry.stats().diskHits());
            assertEquals(1, registry.stats().storeFetches());
        }
        assertEquals(2, store.fetches.get());
        assertArrayEquals(content, Files.readAllBytes(cached));
    }

    @Test
    void corruptDiskFileIsNeverServedAndIsDeleted() throws IOException {
        Path cached = cacheDir.resolve(cid.toString());
        Files.write(cached, TestContent.random(content.length, 22));

        try (var offline = ModuleRegistry.builder().diskCache(cacheDir).build()) {
            assertThrows(ModuleNotFoundException.class, () -> offline.fetch(cid));
        }
        assertFalse(Files.exists(cached));
    }

    @Test
    void mismatchCachesNothingAndTheNextFetchTriesAgain() throws IOException {
        write(storeDir, cid, TestContent.random(content.length, 23));
        var store = store(storeDir);

        try (var registry =
                ModuleRegistry.builder().diskCache(cacheDir).store(store).build()) {
            assertThrows(ContentMismatchException.class, () -> registry.fetch(cid));
            assertEquals(List.of(), files(cacheDir));

            write(storeDir, cid, content);
            assertArrayEquals(content, registry.fetch(cid));
            assertEquals(2, store.fetches.get());
            assertEquals(new CacheStats(0, 0, 1, 1, 0, content.length), registry.stats());
        }
    }

    @Test
    void tooLargeCachesNothingAndNamesCidAndLimit() throws IOException {
        write(storeDir, cid, content);
        var store = store(storeDir);
        long limit = content.length - 1;

        try (var registry = ModuleRegistry.builder()
                .diskCache(cacheDir)
                .store(store)
                .maxModuleBytes(limit)
                .build()) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                var e = assertThrows(ModuleTooLargeException.class, () -> registry.fetch(cid));
                assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
                assertTrue(e.getMessage().contains(" " + limit + " bytes"), e.getMessage());
                assertEquals(attempt, store.fetches.get());
            }
            assertEquals(List.of(), files(cacheDir));
            assertEquals(0, registry.stats().memoryBytes());
        }
    }

    @Test
    void notFoundListsEveryPlaceTriedAndIsNotCached() throws IOException {
        var first = store(storeDir);
        var second = store(otherStoreDir);

        try (var registry = ModuleRegistry.builder()
                .diskCache(cacheDir)
                .store(first)
                .store(second)
                .build()) {
            var e = assertThrows(ModuleNotFoundException.class, () -> registry.fetch(cid));
            assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
            for (String place : List.of(cacheDir.toAbsolutePath().toString(), first.describe(), second.describe())) {
                assertTrue(e.getMessage().contains(place), e.getMessage());
            }

            write(otherStoreDir, cid, content);
            assertArrayEquals(content, registry.fetch(cid));
        }
    }

    @Test
    void failingStoreIsSkippedWhenALaterStoreHasTheModule() throws IOException {
        write(storeDir, cid, TestContent.random(content.length, 24));
        write(otherStoreDir, cid, content);

        try (var registry = ModuleRegistry.builder()
                .store(store(storeDir))
                .store(store(otherStoreDir))
                .build()) {
            assertArrayEquals(content, registry.fetch(cid));
        }
    }

    @Test
    void firstStoreFailureIsThrownWithTheOthersSuppressed() throws IOException {
        write(storeDir, cid, TestContent.random(content.length, 25));
        Files.createDirectory(otherStoreDir.resolve(cid.toString()));

        try (var registry = ModuleRegistry.builder()
                .store(store(storeDir))
                .store(store(otherStoreDir))
                .build()) {
            var e = assertThrows(ContentMismatchException.class, () -> registry.fetch(cid));
            assertEquals(1, e.getSuppressed().length);
            assertTrue(e.getSuppressed()[0].getMessage().contains(otherStoreDir.toString()));
        }
    }

    @Test
    void putCachesInMemoryAndOnDiskUnderTheRawCid() throws IOException {
        byte[] local = content.clone();
        Cid put;
        try (var registry = ModuleRegistry.builder().diskCache(cacheDir).build()) {
            put = registry.put(local);
            local[0] ^= 1; // the registry keeps its own copy

            assertEquals(Cid.Codec.RAW, put.codec());
            assertEquals(1, put.version());
            ContentVerifier.verify(put, content);
            assertArrayEquals(content, registry.fetch(put));
            assertEquals(1, registry.stats().memoryHits());
        }
        try (var registry = ModuleRegistry.builder().diskCache(cacheDir).build()) {
            assertArrayEquals(content, registry.fetch(put));
            assertEquals(1, registry.stats().diskHits());
        }
    }

    @Test
    void putOverTheLimitIsTooLarge() {
        try (var registry = ModuleRegistry.builder()
                .diskCache(cacheDir)
                .maxModuleBytes(content.length - 1)
                .build()) {
            assertThrows(ModuleTooLargeException.class, () -> registry.put(content));
        }
    }

    @Test
    void cidV0AndItsV1FormShareOneEntry() throws IOException {
        Cid v0 = UnixFs.add(content, 0);
        write(storeDir, v0, content);
        var store = store(storeDir);

        try (var registry = ModuleRegistry.builder().store(store).build()) {
            registry.fetch(v0);
            assertArrayEquals(content, registry.fetch(v0.toV1()));
            assertEquals(1, store.fetches.get());
        }
    }

    @Test
    void fetchAsyncCompletesWithTheContentOrTheFailure() throws Exception {
        write(storeDir, cid, content);

        try (var registry = ModuleRegistry.builder().store(store(storeDir)).build()) {
            assertArrayEquals(content, registry.fetchAsync(cid).get(20, TimeUnit.SECONDS));
            var missing = registry.fetchAsync(Cid.rawOf(new byte[] {1}));
            var e = assertThrows(ExecutionException.class, () -> missing.get(20, TimeUnit.SECONDS));
            assertInstanceOf(ModuleNotFoundException.class, e.getCause());
        }
    }

    @Test
    void interruptedCallerGetsARegistryExceptionAndKeepsTheFlag() throws Exception {
        write(storeDir, cid, content);
        var store = store(storeDir);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        store.beforeFetch = () -> {
            entered.countDown();
            await(release);
        };
        var thrown = new AtomicReference<Throwable>();
        var flagKept = new AtomicReference<Boolean>();

        try (var registry = ModuleRegistry.builder().store(store).build()) {
            var caller = new Thread(() -> {
                try {
                    registry.fetch(cid);
                } catch (Throwable t) {
                    thrown.set(t);
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            assertTrue(entered.await(20, TimeUnit.SECONDS));
            caller.interrupt();
            caller.join(20_000);
            release.countDown();

            assertInstanceOf(RegistryException.class, thrown.get());
            assertEquals(Boolean.TRUE, flagKept.get());
            // The load went on and is cached for the next caller.
            assertArrayEquals(content, registry.fetch(cid));
            assertEquals(1, store.fetches.get());
        }
    }

    @Test
    void closedRegistryRejectsCalls() {
        var registry = ModuleRegistry.builder().build();
        registry.close();
        registry.close();

        assertThrows(IllegalStateException.class, () -> registry.fetch(cid));
        assertThrows(IllegalStateException.class, () -> registry.put(content));
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(
                IllegalArgumentException.class, () -> ModuleRegistry.builder().memoryCacheBytes(-1));
        assertThrows(
                IllegalArgumentException.class, () -> ModuleRegistry.builder().maxModuleBytes(0));
        assertThrows(
                IllegalStateException.class,
                () -> ModuleRegistry.builder().maxModuleBytes(10).maxModuleBytes(20));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
