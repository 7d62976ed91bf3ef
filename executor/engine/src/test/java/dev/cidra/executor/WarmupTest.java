package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up runs its built-in corpus only and reports its progress. */
class WarmupTest {
    @Test
    void runsOnlyTheBuiltInCorpusAndReportsEveryRound() {
        var fetches = new AtomicInteger();
        try (var runtime = WasmRuntime.builder()
                .modules(cid -> {
                    fetches.incrementAndGet();
                    throw new dev.cidra.registry.ModuleNotFoundException("no user module here: " + cid);
                })
                .build()) {
            var rounds = new ArrayList<Integer>();
            Warmup.run(runtime, 2, rounds::add);
            assertEquals(List.of(1, 2), rounds);
            assertEquals(0, fetches.get(), "the warm-up asked the module source for a module");
            List<String> linked = runtime.linkedEntries(10);
            assertEquals(1, linked.size(), linked.toString());
            assertTrue(linked.getFirst().equals(Cid.rawOf(corpus()).toString()), linked.toString());
            var stats = runtime.contextPoolStats();
            assertEquals(2 * (Warmup.CALLS_PER_ROUND + 1), stats.hits() + stats.misses(), stats.toString());
        }
    }

    private static byte[] corpus() {
        try (var in = Warmup.class.getResourceAsStream("warmup/" + Warmup.MODULE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
