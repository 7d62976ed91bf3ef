package dev.cidra.executor;

import dev.cidra.registry.ImportGraph;
import dev.cidra.registry.WasmModule;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Source;

/**
 * An import graph ready to instantiate: one cached {@link Source} per module (memory and table limits already written
 * into its bytes), in instantiation order. Sources are shared by all invocations, so the engine parses each module
 * once. Immutable and thread-safe.
 */
record LinkedModule(String entryCid, WasmModule entry, List<Part> parts, long weight) {
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
        return new LinkedModule(entryCid, graph.entry().module(), parts, graph.totalBytes());
    }

    Part entryPart() {
        return parts.getLast();
    }
}
