package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ImportResolverTest {
    private static final Cid LIB = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

    private final AtomicInteger fetches = new AtomicInteger();
    private final Function<Cid, byte[]> store = cid -> {
        fetches.incrementAndGet();
        if (cid.equals(LIB)) {
            return WasmFixtures.load("lib");
        }
        throw new ModuleNotFoundException("module " + cid + " not found in the test store");
    };

    private ImportGraph resolve(String fixture, Map<String, byte[]> explicit) {
        return new ImportResolver(store, 4, 1 << 20).resolve(fixture, WasmFixtures.load(fixture), explicit);
    }

    @Test
    void fetchesCidImportsAndOrdersDependenciesFirst() {
        var graph = resolve("imports-cid", Map.of());
        assertEquals(
                List.of("cid:" + LIB, "entry:imports-cid"),
                graph.nodes().stream().map(ImportGraph.Node::key).toList());
        assertEquals(Map.of(LIB.toString(), "cid:" + LIB), graph.entry().links());
        assertEquals(WasmFixtures.load("lib").length + WasmFixtures.load("imports-cid").length, graph.totalBytes());
        assertEquals(1, fetches.get());
    }

    @Test
    void explicitModulesWinOverCidLookup() {
        var graph = resolve("imports-cid", Map.of(LIB.toString(), WasmFixtures.load("lib")));
        assertEquals("name:" + LIB, graph.nodes().getFirst().key());
        assertEquals(0, fetches.get());
    }

    @Test
    void namesTheChainWhenAProviderIsMissing() {
        var e = assertThrows(LinkException.class, () -> resolve("imports-env", Map.of()));
        assertEquals(
                "imports-env: imports from \"env\", which is neither wasi_snapshot_preview1, a CID, nor a module given"
                        + " as an import module",
                e.getMessage());
    }

    @Test
    void namesTheMissingExport() {
        var e = assertThrows(
                LinkException.class, () -> resolve("imports-missing-export", Map.of("lib", WasmFixtures.load("lib"))));
        assertEquals(
                "imports-missing-export: imports function \"sub\" from lib, which does not export it", e.getMessage());
    }

    @Test
    void detectsCycles() {
        var e = assertThrows(
                LinkException.class,
                () -> resolve("cycle-x", Map.of("x", WasmFixtures.load("cycle-x"), "y", WasmFixtures.load("cycle-y"))));
        assertEquals("cycle-x -> y -> x -> y: import cycle", e.getMessage());
        assertEquals(List.of("cycle-x", "y", "x", "y"), e.chain());
    }

    @Test
    void enforcesTheDepthLimit() {
        var explicit = Map.of("x", WasmFixtures.load("cycle-x"), "y", WasmFixtures.load("cycle-y"));
        var e = assertThrows(LinkException.class, () -> new ImportResolver(store, 1, 1 << 20)
                .resolve("cycle-x", WasmFixtures.load("cycle-x"), explicit));
        assertEquals("cycle-x -> y -> x: import chain deeper than the limit of 1", e.getMessage());
    }

    @Test
    void enforcesTheTotalSizeLimit() {
        long entrySize = WasmFixtures.load("imports-cid").length;
        var e = assertThrows(LinkException.class, () -> new ImportResolver(store, 4, entrySize + 1)
                .resolve("imports-cid", WasmFixtures.load("imports-cid"), Map.of()));
        assertEquals(
                "imports-cid -> " + LIB + ": modules in the import graph exceed the limit of " + (entrySize + 1)
                        + " bytes in total",
                e.getMessage());
    }

    @Test
    void wrapsFetchFailuresWithTheChain() {
        Function<Cid, byte[]> empty = cid -> {
            throw new ModuleNotFoundException("module " + cid + " not found");
        };
        var e = assertThrows(LinkException.class, () -> new ImportResolver(empty, 4, 1 << 20)
                .resolve("imports-cid", WasmFixtures.load("imports-cid"), Map.of()));
        assertEquals("imports-cid -> " + LIB + ": module " + LIB + " not found", e.getMessage());
    }
}
