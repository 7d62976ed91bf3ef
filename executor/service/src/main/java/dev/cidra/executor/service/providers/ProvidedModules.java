package dev.cidra.executor.service.providers;

import dev.cidra.contract.ProvidedSet;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentMismatchException;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ContentVerifier;
import dev.cidra.registry.InvalidCidException;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modules this node holds privately and offers as a provider ({@code cidra.executor.provides-dir},
 * {@code cidra.executor.provides}), checked once at startup: every file of the directory must be named by the CID of
 * its bytes ({@code <cid>} or {@code <cid>.wasm}), and every listed CID must have its file, or the node refuses to
 * start with a one-line reason naming the file or the CID.
 *
 * <p>A provider node consumes only its {@link ProvidedSet}'s topics, in groups of their own, instead of
 * {@link Topics#INVOCATIONS} and {@link Topics#JOBS}: it runs exactly the work that needs one of its modules, and every
 * node of the same set takes that work over when another dies. A node without provided modules consumes the shared
 * topics. The modules' bytes are read from the directory only, by this node's module registry: nothing uploads them,
 * announces more than their CIDs, or sends them elsewhere. Immutable.
 */
@Startup
@Singleton
public class ProvidedModules {
    private final Optional<ProvidedSet> set;
    private final Optional<ContentStore> store;

    /** @throws IllegalStateException with one line naming the key, the file or the CID at fault */
    @Inject
    ProvidedModules(ExecutorConfig config) {
        this(
                config.executor().providesDir(),
                config.executor().provides(),
                config.registry().maxModuleBytes());
    }

    ProvidedModules(Optional<Path> dir, Optional<List<String>> listed, long maxModuleBytes) {
        if (dir.isEmpty()) {
            if (listed.isPresent()) {
                throw new IllegalStateException("cidra.executor.provides lists " + listed.get()
                        + " but cidra.executor.provides-dir, the directory holding their bytes, is not set");
            }
            set = Optional.empty();
            store = Optional.empty();
            return;
        }
        Map<Cid, Path> files = verifiedFiles(dir.get(), maxModuleBytes);
        Set<Cid> offered = listed.map(cids -> listedIn(cids, files, dir.get())).orElse(files.keySet());
        if (offered.isEmpty()) {
            throw new IllegalStateException(
                    "cidra.executor.provides-dir " + dir.get() + " holds no module: a provider needs at least one");
        }
        set = Optional.of(new ProvidedSet(offered.stream().map(Cid::toString).toList()));
        var directory = ContentStore.directory(dir.get());
        store = Optional.of(new ContentStore() {
            @Override
            public Optional<byte[]> fetch(Cid cid, long maxBytes) {
                return offered.contains(cid) ? directory.fetch(cid, maxBytes) : Optional.empty();
            }

            @Override
            public String describe() {
                return "the provided modules in " + directory.describe();
            }
        });
    }

    /** Every file of {@code dir}, by the CID it is named by, after checking that its bytes are that CID's. */
    private static Map<Cid, Path> verifiedFiles(Path dir, long maxModuleBytes) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("cidra.executor.provides-dir " + dir + " is not a directory");
        }
        var files = new LinkedHashMap<Cid, Path>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.sorted().toList()) {
                Cid cid = cidOf(file);
                byte[] content = read(file, maxModuleBytes);
                try {
                    ContentVerifier.verify(cid, content);
                } catch (ContentMismatchException e) {
                    throw new IllegalStateException(
                            "cidra.executor.provides-dir: " + file + " is not the module its name says ("
                                    + e.getMessage() + ")",
                            e);
                }
                Path other = files.putIfAbsent(cid, file);
                if (other != null) {
                    throw new IllegalStateException(
                            "cidra.executor.provides-dir: " + other + " and " + file + " both hold module " + cid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list cidra.executor.provides-dir " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static Cid cidOf(Path file) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".wasm") ? name.substring(0, name.length() - ".wasm".length()) : name;
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("cidra.executor.provides-dir: " + file + " is not a regular file");
        }
        try {
            return Cid.parse(stem);
        } catch (InvalidCidException e) {
            throw new IllegalStateException("cidra.executor.provides-dir: " + file
                    + " is not named by the CID of its bytes (<cid> or <cid>.wasm): " + e.getMessage());
        }
    }

    private static byte[] read(Path file, long maxModuleBytes) {
        try {
            long size = Files.size(file);
            if (size > maxModuleBytes) {
                throw new IllegalStateException("cidra.executor.provides-dir: " + file + " has " + size
                        + " bytes, above cidra.registry.max-module-bytes (" + maxModuleBytes + ")");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Set<Cid> listedIn(List<String> listed, Map<Cid, Path> files, Path dir) {
        var offered = new LinkedHashSet<Cid>();
        for (String text : listed) {
            Cid cid;
            try {
                cid = Cid.parse(text.strip());
            } catch (InvalidCidException e) {
                throw new IllegalStateException(
                        "cidra.executor.provides: " + text + " is not a CID: " + e.getMessage());
            }
            if (!files.containsKey(cid)) {
                throw new IllegalStateException("cidra.executor.provides lists " + cid + " but " + dir
                        + " holds no file " + cid + " or " + cid + ".wasm");
            }
            offered.add(cid);
        }
        return offered;
    }

    /** The set this node provides; empty for a node that serves the shared module store's modules. */
    public Optional<ProvidedSet> set() {
        return set;
    }

    /** The store of the provided modules, for this node's registry only; empty for a node that provides none. */
    public Optional<ContentStore> store() {
        return store;
    }

    /** The CIDs this node announces as provided; empty for a node that provides none. */
    public List<String> cids() {
        return set.map(ProvidedSet::cids).orElse(List.of());
    }

    /** The topic this node's requests consumer reads. */
    public String invocationsTopic() {
        return set.map(ProvidedSet::invocationsTopic).orElse(Topics.INVOCATIONS);
    }

    /** The topic this node's jobs consumer reads. */
    public String jobsTopic() {
        return set.map(ProvidedSet::jobsTopic).orElse(Topics.JOBS);
    }

    /**
     * The consumer group of this node's requests consumer: {@code groupId} for a node of the shared topics,
     * {@code <groupId>-provided-<set id>} for a provider; the jobs consumer's is that and {@code -jobs}.
     */
    public String groupId(String groupId) {
        return set.map(provided -> groupId + "-provided-" + provided.id()).orElse(groupId);
    }

    /** The topics this node consumes that {@link Topics#all()} does not name: its set's two, or none. */
    public List<String> ownTopics() {
        return set.map(provided -> List.of(provided.invocationsTopic(), provided.jobsTopic()))
                .orElse(List.of());
    }
}
