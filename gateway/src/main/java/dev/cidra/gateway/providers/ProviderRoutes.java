package dev.cidra.gateway.providers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.ProvidedSet;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.nodes.NodeView;
import dev.cidra.gateway.storage.ModuleBucket;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ImportGraph;
import dev.cidra.registry.InvalidModuleException;
import dev.cidra.registry.WasmModule;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Chooses the topic a call or job is published to: {@link Topics#INVOCATIONS} and {@link Topics#JOBS}, shared by the
 * executors of the module store, unless it needs a module that provider nodes announce (on {@code cidra.nodes}) as
 * theirs, as entry or as an import at any depth; then the topics of a {@link ProvidedSet} that live provider nodes
 * announce and that holds every provided module it needs, which only those nodes consume. Kafka's consumer groups do
 * the rest: spreading the set's work over its nodes and handing a dead node's partitions to the others.
 *
 * <p>The imports of a module of the store are read once per CID (a CID's content never changes) and kept for
 * {@value #KNOWN_MODULES} modules; a module the store does not hold has no imports here (the executor reports it
 * missing). Until some node announces a provided module, nothing is looked up: the shared topics are chosen at once.
 * Thread-safe.
 */
@Singleton
public class ProviderRoutes {
    /** How many modules' import lists are kept. */
    static final int KNOWN_MODULES = 10_000;

    /** The most modules one call's import graph may visit here; a larger one is refused by the executor anyway. */
    static final int MAX_VISITED = 1_000;

    private final NodeView nodes;
    private final Function<Cid, Optional<byte[]>> store;
    private final Cache<String, List<String>> imports =
            Caffeine.newBuilder().maximumSize(KNOWN_MODULES).build();

    @Inject
    ProviderRoutes(NodeView nodes, ModuleBucket bucket) {
        this(nodes, bucket::fetch);
    }

    /** @param store the module store's verified content of a CID, empty if it holds none */
    ProviderRoutes(NodeView nodes, Function<Cid, Optional<byte[]>> store) {
        this.nodes = nodes;
        this.store = store;
    }

    /**
     * The topic of a call of {@code moduleCid}.
     *
     * @throws NoProviderException if it needs a provided module no live provider offers
     * @throws dev.cidra.gateway.storage.StorageException if the module store cannot be read for the imports
     */
    public String invocationsTopic(String moduleCid) {
        return route(List.of(moduleCid)).map(ProvidedSet::invocationsTopic).orElse(Topics.INVOCATIONS);
    }

    /**
     * The topic of {@code job}: needing its entry module (when named by CID) and the modules its import names are
     * linked to, with their imports.
     *
     * @throws NoProviderException if it needs a provided module no live provider offers
     * @throws dev.cidra.gateway.storage.StorageException if the module store cannot be read for the imports
     */
    public String jobsTopic(JobRequest job) {
        var roots = new ArrayList<String>();
        if (job.moduleCid() != null) {
            roots.add(job.moduleCid());
        }
        if (job.importModules() != null) {
            roots.addAll(job.importModules().values());
        }
        return route(roots).map(ProvidedSet::jobsTopic).orElse(Topics.JOBS);
    }

    /** The provided set to send work needing {@code roots} to; empty for the shared topics. */
    private Optional<ProvidedSet> route(Collection<String> roots) {
        if (!nodes.anyProvider()) {
            return Optional.empty();
        }
        Map<String, List<String>> needed = provided(roots);
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        var live = new HashMap<ProvidedSet, Integer>();
        for (NodeInfo node : nodes.list()) {
            if (!node.providedModules().isEmpty()) {
                live.merge(new ProvidedSet(node.providedModules()), 1, Integer::sum);
            }
        }
        Optional<ProvidedSet> chosen = live.entrySet().stream()
                .filter(set -> set.getKey().containsAll(needed.keySet()))
                .max(Comparator.<Map.Entry<ProvidedSet, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(set -> set.getKey().id(), Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
        if (chosen.isEmpty()) {
            throw refusal(needed, live.keySet());
        }
        return chosen;
    }

    /**
     * The provided modules among {@code roots} and their imports at any depth (a provided module's own imports are its
     * providers' business), each with the chain of CIDs that leads to it from a root.
     */
    private Map<String, List<String>> provided(Collection<String> roots) {
        var needed = new LinkedHashMap<String, List<String>>();
        var chains = new HashMap<String, List<String>>();
        var queue = new ArrayDeque<String>();
        for (String root : roots) {
            String cid = canonical(root);
            if (cid != null && chains.putIfAbsent(cid, List.of(cid)) == null) {
                queue.add(cid);
            }
        }
        while (!queue.isEmpty() && chains.size() <= MAX_VISITED) {
            String cid = queue.poll();
            if (nodes.lastProviderOf(cid).isPresent()) {
                needed.put(cid, chains.get(cid));
                continue;
            }
            for (String name : importsOf(cid)) {
                String imported = canonical(name);
                if (imported != null && !chains.containsKey(imported)) {
                    var chain = new ArrayList<>(chains.get(cid));
                    chain.add(imported);
                    chains.put(imported, List.copyOf(chain));
                    queue.add(imported);
                }
            }
        }
        return needed;
    }

    /** The import module names of the store's module {@code cid}; none if the store does not hold it. */
    private List<String> importsOf(String cid) {
        var known = imports.getIfPresent(cid);
        if (known != null) {
            return known;
        }
        var content = store.apply(Cid.parse(cid));
        if (content.isEmpty()) {
            return List.of(); // not cached: it may be uploaded later
        }
        List<String> names;
        try {
            names = WasmModule.parse(content.get()).importModules().stream()
                    .filter(name -> !name.equals(ImportGraph.WASI_MODULE))
                    .toList();
        } catch (InvalidModuleException e) {
            names = List.of(); // the executor refuses it with the reason
        }
        imports.put(cid, names);
        return names;
    }

    /** The CID's canonical text (as nodes announce it), or null if {@code text} is no CID (an import named otherwise). */
    private static String canonical(String text) {
        return Cid.tryParse(text).map(Cid::toString).orElse(null);
    }

    /** Why no live set fits: the first needed module no live node offers, else that none offers them all. */
    private NoProviderException refusal(Map<String, List<String>> needed, Set<ProvidedSet> live) {
        var offered = new LinkedHashSet<String>();
        live.forEach(set -> offered.addAll(set.cids()));
        for (var entry : needed.entrySet()) {
            String cid = entry.getKey();
            if (!offered.contains(cid)) {
                List<String> chain = entry.getValue();
                String subject = chain.size() == 1
                        ? "module " + cid + " is served only by provider nodes"
                        : "module " + chain.getFirst() + " imports " + cid + " (" + String.join(" -> ", chain)
                                + "), which only provider nodes serve";
                return new NoProviderException(subject + ", and none is live (the last to offer it was node "
                        + nodes.lastProviderOf(cid).orElseThrow() + "); start a provider node holding it, then call"
                        + " again");
            }
        }
        return new NoProviderException("no live provider node offers all of " + String.join(", ", needed.keySet())
                + ", which this call needs together: each is offered, but by different provider nodes");
    }
}
