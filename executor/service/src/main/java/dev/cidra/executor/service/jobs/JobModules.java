package dev.cidra.executor.service.jobs;

import dev.cidra.contract.InputSource;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.ModuleSources;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.execution.GuestRun;
import dev.cidra.executor.service.inputs.InputException;
import dev.cidra.executor.service.inputs.InputFetcher;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.ModuleRegistry;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.UnixFs;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A job's modules: those named by CID ({@link JobRequest#moduleCid}, {@link JobRequest#importModules}), and those
 * given as {@linkplain ModuleSources input sources}, fetched into {@code <workDir>/modules/} with the inputs' fetchers
 * and grants. A fetched source is one file, or a directory holding one {@code .wasm} file (or one file).
 *
 * <p>Guarantees: an {@code ipfs} import source is linked only if its bytes have the CID it names ({@code s3} sources'
 * {@code ChecksumSHA256} is verified by the fetch); a module is cached in the {@link ModuleRegistry} under its raw
 * CIDv1 only after that check, so a job of the same bytes from another source finds them cached and linked. An import
 * source served from the platform's kept results ({@code CID/outputs/m.wasm}) was checked against the result's CID
 * instead. An import source is linked under every CID of its bytes ({@link UnixFs#names}), its {@code Target} (with and without the
 * leading {@code /}) and its file name without {@code .wasm}; two different modules claiming one name fail the job.
 * Thread-safe.
 */
@Singleton
class JobModules {
    private final InputFetcher fetcher;
    private final ModuleRegistry registry;

    JobModules(InputFetcher fetcher, ModuleRegistry registry) {
        this.fetcher = fetcher;
        this.registry = registry;
    }

    /**
     * @param budget charged with the downloaded and local modules' bytes
     * @throws JobFailed naming the module and its source when one cannot be fetched, is not one module, does not match
     *     its CID, or claims a name another module claims
     */
    GuestRun.Modules resolve(JobRequest job, Path workDir, DiskBudget budget) throws JobFailed {
        GuestRun.Modules named;
        try {
            named = GuestRun.Modules.parse(job.moduleCid(), job.importModules());
        } catch (InvalidCidException e) {
            throw new JobFailed("moduleCid or importModules: " + e.getMessage());
        }
        ModuleSources sources = job.modules();
        if (sources == null) {
            return named;
        }
        ModuleRef entry = named.entry();
        Path dir = workDir.resolve("modules");
        if (sources.entry() != null) {
            var fetched = fetch(job, "entry module", sources.entry(), dir.resolve("entry"), budget);
            entry = ModuleRef.of(fetched.file().getFileName().toString(), fetched.bytes());
        }
        var imports = new LinkedHashMap<String, ModuleRef>(named.imports());
        var claimedBy = new LinkedHashMap<String, String>();
        named.imports().keySet().forEach(name -> claimedBy.put(name, "ImportModules entry \"" + name + "\""));
        List<InputSource> importSources = sources.imports();
        for (int i = 0; i < importSources.size(); i++) {
            InputSource source = importSources.get(i);
            String what = "import module " + (i + 1) + " (" + InputFetcher.source(source) + ")";
            var fetched = fetch(job, what, source, dir.resolve(Integer.toString(i)), budget);
            var ref = ModuleRef.of(fetched.file().getFileName().toString(), fetched.bytes());
            String raw = Cid.rawOf(fetched.bytes()).toString();
            for (String name : names(fetched, source)) {
                String other = claimedBy.putIfAbsent(name, what);
                if (other != null
                        && !(imports.get(name) instanceof ModuleRef.ByBytes b
                                && Cid.rawOf(b.bytes()).toString().equals(raw))) {
                    throw new JobFailed(what + " and " + other + " both claim the import module name \"" + name
                            + "\"; give each module a distinct Target or file name");
                }
                imports.putIfAbsent(name, ref);
            }
        }
        return new GuestRun.Modules(entry, imports);
    }

    private record Fetched(Path file, byte[] bytes) {}

    private Fetched fetch(JobRequest job, String what, InputSource source, Path dir, DiskBudget budget)
            throws JobFailed {
        InputFetcher.ModuleSource fetched;
        try {
            fetched = fetcher.fetchModule(job.tenant(), source, dir, budget);
        } catch (InputException e) {
            throw new JobFailed(what + ": " + e.getMessage());
        }
        Path file = moduleFile(what, source, fetched.path());
        byte[] bytes;
        try {
            if (InputSource.LOCAL_DIRECTORY.equals(source.type())) {
                budget.take(Files.size(file), what);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException | DiskBudget.DiskBudgetExceededException e) {
            throw new JobFailed(what + ": cannot read " + file + ": " + e.getMessage());
        }
        if (InputSource.IPFS.equals(source.type()) && !fetched.keptResult()) {
            String cid = source.param("CID");
            Set<String> names = UnixFs.names(bytes);
            if (Cid.tryParse(cid)
                    .map(c -> !names.contains(c.toString())
                            && !names.contains(c.toV1().toString()))
                    .orElse(true)) {
                throw new JobFailed(
                        what + ": CID mismatch: the fetched bytes are " + String.join(", ", names) + ", not " + cid);
            }
        }
        try {
            registry.put(bytes);
        } catch (RegistryException e) {
            throw new JobFailed(what + ": " + e.getMessage());
        }
        return new Fetched(file, bytes);
    }

    /** The one module file at {@code fetched}: itself, or the one {@code .wasm} (else the one file) below it. */
    private static Path moduleFile(String what, InputSource source, Path fetched) throws JobFailed {
        if (Files.isRegularFile(fetched)) {
            return fetched;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fetched)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new JobFailed(what + ": cannot list " + fetched + ": " + e);
        }
        List<Path> wasm = files.stream()
                .filter(f -> f.getFileName().toString().endsWith(".wasm"))
                .toList();
        List<Path> candidates = wasm.isEmpty() ? files : wasm;
        if (candidates.size() != 1) {
            throw new JobFailed(what + ": " + InputFetcher.source(source) + " holds "
                    + (candidates.isEmpty() ? "no file" : candidates.size() + " .wasm files")
                    + "; a module source must be one file or a directory holding one .wasm file");
        }
        return candidates.getFirst();
    }

    /** The import module names a fetched source satisfies. */
    private static Set<String> names(Fetched fetched, InputSource source) {
        var names = new LinkedHashSet<>(UnixFs.names(fetched.bytes()));
        String file = fetched.file().getFileName().toString();
        names.add(file.endsWith(".wasm") ? file.substring(0, file.length() - ".wasm".length()) : file);
        if (source.target() != null && !source.target().equals("/")) {
            names.add(source.target());
            names.add(source.target().substring(1));
        }
        return names;
    }
}
