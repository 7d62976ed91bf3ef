package dev.cidra.executor;

import dev.cidra.registry.ImportGraph;
import dev.cidra.registry.WasmModule;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Source;

/**
 * An import graph ready to instantiate: one cached {@link Source} per module (memory and table limits already written
 * into its bytes), in instantiation order, and the module's slot in the {@link ContextPool}. Sources are shared by all
 * invocations, so the engine parses each module once. Thread-safe; immutable but for the pool slot.
 */
record LinkedModule(String entryCid, WasmModule entry, List<Part> parts, long weight, ContextPool.Slot pool) {
    /** One module of the graph; {@code links} maps its import module names to other parts' keys. */
    record Part(String key, String name, Source source, Map<String, String> links) {}

    static LinkedModule of(String entryCid, ImportGraph graph, long memoryPages, long tableElements) {
        var parts = graph.nodes().stream()
                .map(node -> new Part(
                        node.key(),
                        node.name(),
                        Source.newBuilder(
                                        "wasm",
                                        org.graalvm.polyglot.io.ByteSequence.create(
                                                node.module().withLimits(memoryPages, tableElements)),
                                        node.name())
                                .cached(true)
                                .buildLiteral(),
                        node.links()))
                .toList();
        long instanceBytes = ContextPool.CONTEXT_OVERHEAD
                + graph.nodes().stream()
                        .flatMap(node -> node.module().memories().stream())
                        .mapToLong(memory -> Math.min(memory.min(), memoryPages) * WasmModule.PAGE_SIZE)
                        .sum();
        boolean poolable =
                graph.nodes().stream().noneMatch(node -> node.module().hasStart());
        return new LinkedModule(
                entryCid,
                graph.entry().module(),
                parts,
                graph.totalBytes(),
                new ContextPool.Slot(instanceBytes, poolable));
    }

    Part entryPart() {
        return parts.getLast();
    }
}
