package dev.cidra.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves an entry module's imports into an {@link ImportGraph}: an import module name given explicitly is linked to
 * that module; a name that parses as a CID is fetched (and verified) through {@code fetch}, recursively;
 * {@value ImportGraph#WASI_MODULE} is the host. Every function, memory, table and global a module imports must be
 * exported by its provider with the same kind. Thread-safe if {@code fetch} is.
 */
public final class ImportResolver {
    private final Function<Cid, byte[]> fetch;
    private final int maxDepth;
    private final long maxTotalBytes;

    /**
     * @param fetch returns the verified bytes of a CID, or throws a {@link RegistryException}
     * @param maxDepth the longest import chain allowed below the entry module
     * @param maxTotalBytes the largest summed size of all modules in a graph
     */
    public ImportResolver(Function<Cid, byte[]> fetch, int maxDepth, long maxTotalBytes) {
        this.fetch = fetch;
        this.maxDepth = maxDepth;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * @param entryName what errors call the entry module (its CID or file name)
     * @param entryBytes the entry module
     * @param explicitModules modules linked under the given import module names (they win over CID lookup)
     * @throws LinkException for a missing provider, a missing export, a cycle, or a depth or size limit; the message
     *     names the chain
     * @throws InvalidModuleException if a module in the graph is malformed
     */
    public ImportGraph resolve(String entryName, byte[] entryBytes, Map<String, byte[]> explicitModules) {
        var walk = new Walk(explicitModules);
        walk.visit("entry:" + entryName, entryName, entryBytes, new ArrayList<>());
        return new ImportGraph(walk.ordered, walk.totalBytes);
    }

    private final class Walk {
        final Map<String, byte[]> explicitModules;
        final Map<String, ImportGraph.Node> done = new HashMap<>();
        final List<ImportGraph.Node> ordered = new ArrayList<>();
        long totalBytes;

        Walk(Map<String, byte[]> explicitModules) {
            this.explicitModules = explicitModules;
        }

        WasmModule visit(String key, String name, byte[] bytes, List<String> chain) {
            chain.add(name);
            if (chain.size() - 1 > maxDepth) {
                throw new LinkException(chain, "import chain deeper than the limit of " + maxDepth);
            }
            totalBytes += bytes.length;
            if (totalBytes > maxTotalBytes) {
                throw new LinkException(
                        chain, "modules in the import graph exceed the limit of " + maxTotalBytes + " bytes in total");
            }
            WasmModule module;
            try {
                module = WasmModule.parse(bytes);
            } catch (InvalidModuleException e) {
                throw new LinkException(chain, e.getMessage());
            }
            var links = new LinkedHashMap<String, String>();
            for (String importModule : module.importModules()) {
                if (importModule.equals(ImportGraph.WASI_MODULE)) {
                    continue;
                }
                links.put(importModule, link(module, importModule, chain));
            }
            var node = new ImportGraph.Node(key, name, bytes, module, links);
            done.put(key, node);
            ordered.add(node);
            chain.removeLast();
            return module;
        }

        String link(WasmModule importer, String importModule, List<String> chain) {
            String key;
            byte[] explicit = explicitModules.get(importModule);
            if (explicit != null) {
                key = "name:" + importModule;
            } else {
                var cid = Cid.tryParse(importModule);
                if (cid.isEmpty()) {
                    throw new LinkException(
                            chain,
                            "imports from \"" + importModule + "\", which is neither " + ImportGraph.WASI_MODULE
                                    + ", a CID, nor a module given as an import module");
                }
                key = "cid:" + cid.get().toV1();
            }
            var node = done.get(key);
            WasmModule provider;
            if (node != null) {
                provider = node.module();
            } else if (chain.contains(importModule)) {
                var cycle = new ArrayList<>(chain);
                cycle.add(importModule);
                throw new LinkException(cycle, "import cycle");
            } else if (explicit != null) {
                provider = visit(key, importModule, explicit, chain);
            } else {
                byte[] bytes;
                try {
                    bytes = fetch.apply(Cid.parse(importModule));
                } catch (RegistryException e) {
                    var failed = new ArrayList<>(chain);
                    failed.add(importModule);
                    throw new LinkException(failed, e.getMessage());
                }
                provider = visit(key, importModule, bytes, chain);
            }
            for (var imp : importer.imports()) {
                if (!imp.module().equals(importModule)) {
                    continue;
                }
                var export = provider.export(imp.name());
                if (export.isEmpty() || export.get().kind() != imp.kind()) {
                    throw new LinkException(
                            chain,
                            "imports " + imp.kind().name().toLowerCase(java.util.Locale.ROOT) + " \"" + imp.name()
                                    + "\" from " + importModule + ", which does not export it");
                }
            }
            return key;
        }
    }
}
