package dev.cidra.registry;

import java.util.List;
import java.util.Map;

/**
 * A resolved import graph: every module an entry module needs, dependencies before dependents, the entry module last.
 * Each distinct module appears once, however many modules import it. Immutable and thread-safe.
 *
 * @param nodes the modules in instantiation order; the last one is the entry module
 * @param totalBytes the summed size of all modules
 */
public record ImportGraph(List<Node> nodes, long totalBytes) {
    /** The import module name every WASI preview 1 host function lives under; provided by the runtime. */
    public static final String WASI_MODULE = "wasi_snapshot_preview1";

    /**
     * One module of the graph.
     *
     * @param key unique within the graph: {@code cid:<CID>} or {@code name:<import module name>}
     * @param name what error messages call it: the CID, or the name it is imported under
     * @param bytes the module as fetched and verified
     * @param module its parsed shape
     * @param links for each import module name (other than {@link #WASI_MODULE}), the key of the node that provides it
     */
    public record Node(String key, String name, byte[] bytes, WasmModule module, Map<String, String> links) {
        public Node {
            links = Map.copyOf(links);
        }
    }

    public ImportGraph {
        nodes = List.copyOf(nodes);
    }

    public Node entry() {
        return nodes.getLast();
    }
}
