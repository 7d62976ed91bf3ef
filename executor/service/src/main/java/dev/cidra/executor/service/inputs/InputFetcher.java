package dev.cidra.executor.service.inputs;

import dev.cidra.contract.InputSource;
import dev.cidra.contract.StorageGrants;
import dev.cidra.executor.Mount;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.config.S3Clients;
import dev.cidra.executor.service.content.ResultContent;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.executor.service.security.JobStorageAccess;
import dev.cidra.registry.ContentStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a job's inputs available as read-only mounts (read-write only for allow-listed local directories): downloaded
 * ones ({@code s3}, {@code urlDownload}, {@code ipfs}) into {@code <workDir>/inputs/<n>/}, each mounted as a directory
 * at its target (a single {@code s3} object whose target names its file: that file, see {@link #fileTarget}; an
 * {@code ipfs} file CID: that file at its target, a directory CID: that directory); local
 * directories mounted where they are. Every byte downloaded is charged to the job's disk budget
 * while it is read. The first input that fails stops the fetch with an {@link InputException} naming it; what was
 * downloaded stays in the work directory, which the caller deletes. {@code s3} inputs report to the {@link S3Outage}
 * (an input failing for an outage is one whose cause {@link S3Outage#isOutage} says so). Thread-safe.
 */
@Singleton
public class InputFetcher {
    private final S3Clients s3;
    private final JobStorageAccess access;
    private final HttpClient http;
    private final UrlInput url;
    private final IpfsInput ipfs;
    private final LocalDirectories local;
    private final S3Outage outage;

    InputFetcher(S3Clients s3, JobStorageAccess access, ExecutorConfig config, S3Outage outage, ResultContent results) {
        this.s3 = s3;
        this.outage = outage;
        this.access = access;
        var inputs = config.inputs();
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(
                        inputs.urlTimeout().compareTo(Duration.ofSeconds(10)) < 0
                                ? inputs.urlTimeout()
                                : Duration.ofSeconds(10))
                .build();
        this.url = new UrlInput(
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(http.connectTimeout().orElseThrow())
                        .build(),
                inputs.maxUrlBytes(),
                inputs.urlTimeout(),
                inputs.allowPrivateUrls());
        this.ipfs = new IpfsInput(
                config.ipfs()
                        .gateway()
                        .map(uri -> ContentStore.ipfsGateway(uri, http))
                        .orElse(null),
                results);
        this.local = new LocalDirectories(inputs.localDirectories().orElse(List.of()));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @param tenant the job's tenant, whose grants decide which {@code s3} inputs it may read
     * @return one mount per input, in order
     * @throws InputException naming the first input that could not be fetched, stored or mounted, and why
     */
    public List<Mount> fetch(String tenant, List<InputSource> inputs, Path workDir, DiskBudget budget)
            throws InputException {
        var mounts = new ArrayList<Mount>();
        var fileParents = new HashMap<String, Path>();
        for (int i = 0; i < inputs.size(); i++) {
            InputSource input = inputs.get(i);
            Path dir = workDir.resolve("inputs").resolve(Integer.toString(i));
            try {
                if (InputSource.IPFS.equals(input.type())) {
                    ipfs(tenant, input, dir, budget, fileParents, mounts);
                    continue;
                }
                var file = fileTarget(input);
                if (file.isPresent()) {
                    String parent = file.get().directory();
                    boolean first = !fileParents.containsKey(parent);
                    Path shared = fileParents.computeIfAbsent(parent, p -> dir);
                    if (Files.exists(shared.resolve(file.get().name()))) {
                        throw new InputException("another input is mounted at " + input.target() + " already");
                    }
                    fetch(tenant, input, shared, budget);
                    if (first) {
                        mounts.add(new Mount(shared, parent, false));
                    }
                    continue;
                }
                mounts.add(fetch(tenant, input, dir, budget));
            } catch (InputException | DiskBudget.DiskBudgetExceededException e) {
                throw new InputException(describe(i, input) + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new InputException(describe(i, input) + ": cannot write it to " + dir + ": " + e, e);
            }
        }
        return mounts;
    }

    /**
     * Fetches an {@code ipfs} input the way Bacalhau mounts one: a directory CID is that directory at the target, a
     * file CID that file at the target (its guest directory mounted, shared with other files there).
     */
    private void ipfs(
            String tenant,
            InputSource input,
            Path dir,
            DiskBudget budget,
            Map<String, Path> fileParents,
            List<Mount> mounts)
            throws InputException, IOException {
        String target = input.target();
        int slash = target.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : target.substring(0, slash);
        String name = target.substring(slash + 1);
        if (!ipfs.fetch(tenant, input.param("CID"), dir, name, budget).file()) {
            mounts.add(new Mount(dir, target, false));
            return;
        }
        Path shared = fileParents.computeIfAbsent(parent, p -> dir);
        if (!shared.equals(dir)) {
            if (Files.exists(shared.resolve(name))) {
                throw new InputException("another input is mounted at " + target + " already");
            }
            Files.move(dir.resolve(name), shared.resolve(name));
        } else {
            mounts.add(new Mount(shared, parent, false));
        }
    }

    /**
     * Fetches a module's source (a {@link dev.cidra.contract.ModuleSources} entry) under the same grants and
     * allow-lists as an input, without mounting it.
     *
     * @param dir where a download goes
     * @return where it is, and whether it is a kept result (checked against its CID as a result directory)
     * @throws InputException naming the source and why it could not be fetched
     */
    public ModuleSource fetchModule(String tenant, InputSource source, Path dir, DiskBudget budget)
            throws InputException {
        try {
            if (InputSource.LOCAL_DIRECTORY.equals(source.type())) {
                return new ModuleSource(local.allowed(source.param("SourcePath"), false), false);
            }
            return new ModuleSource(dir, download(tenant, source, dir, budget));
        } catch (InputException | DiskBudget.DiskBudgetExceededException e) {
            throw new InputException(source(source) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException(source(source) + ": cannot write it to " + dir + ": " + e, e);
        }
    }

    /**
     * A fetched module source.
     *
     * @param path the host path holding it: the download directory, or the allow-listed file or directory
     * @param keptResult whether it came from the platform's kept results ({@link ResultContent}), whose check covered
     *     the result directory the {@code ipfs} source's CID names
     */
    public record ModuleSource(Path path, boolean keptResult) {}

    /**
     * The guest directory a single-object {@code s3} input is mounted in when its target names the object's file
     * ({@code Key data/v.tgz}, target {@code /inputs/v.tgz}: the guest reads the file {@code /inputs/v.tgz}, so its
     * directory {@code /inputs} is mounted, shared with other such inputs there); empty when the target is the
     * directory the input goes into.
     */
    static Optional<FileTarget> fileTarget(InputSource input) {
        String key = input.param("Key");
        if (!InputSource.S3.equals(input.type()) || key == null || key.endsWith("/") || key.endsWith("*")) {
            return Optional.empty();
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        String target = input.target();
        if (name.isEmpty() || !target.endsWith("/" + name)) {
            return Optional.empty();
        }
        String parent = target.substring(0, target.length() - name.length() - 1);
        return Optional.of(new FileTarget(parent.isEmpty() ? "/" : parent, name));
    }

    /** A file target: the guest directory mounted and the file's name in it. */
    record FileTarget(String directory, String name) {}

    private Mount fetch(String tenant, InputSource input, Path dir, DiskBudget budget)
            throws InputException, IOException {
        if (InputSource.LOCAL_DIRECTORY.equals(input.type())) {
            return local.mount(input.param("SourcePath"), input.target(), "true".equals(input.param("ReadWrite")));
        }
        download(tenant, input, dir, budget);
        return new Mount(dir, input.target(), false);
    }

    /**
     * Downloads an {@code s3}, {@code urlDownload} or {@code ipfs} source into {@code dir}.
     *
     * @return whether it came from the platform's kept results
     */
    private boolean download(String tenant, InputSource input, Path dir, DiskBudget budget)
            throws InputException, IOException {
        Files.createDirectories(dir);
        switch (input.type()) {
            case InputSource.S3 -> {
                try {
                    access.check(
                            StorageGrants.Use.READ,
                            tenant,
                            input.param("Endpoint"),
                            input.param("Bucket"),
                            input.param("Key"));
                } catch (JobStorageAccess.AccessDeniedException e) {
                    throw new InputException(e.getMessage(), e);
                }
                try (var lease = lease(input)) {
                    S3Input.fetch(input, lease.client(), dir, budget);
                    outage.succeeded(input.param("Endpoint"));
                } catch (InputException e) {
                    outage.failed(input.param("Endpoint"), "fetching an input", e);
                    throw e;
                }
                return false;
            }
            case InputSource.URL -> {
                url.fetch(input.param("URL"), dir, budget);
                return false;
            }
            case InputSource.IPFS -> {
                String cid = input.param("CID");
                return ipfs.fetch(tenant, cid, dir, cid.substring(cid.lastIndexOf('/') + 1), budget)
                        .keptResult();
            }
            default -> throw new InputException("unknown input type " + input.type());
        }
    }

    private S3Clients.Lease lease(InputSource input) throws InputException {
        try {
            return s3.lease(input.param("Endpoint"), input.param("Region"));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** E.g. {@code input 1 "data" (s3://bucket/key at /inputs)}. */
    static String describe(int index, InputSource input) {
        return "input " + (index + 1) + (input.alias() == null ? "" : " \"" + input.alias() + "\"") + " ("
                + source(input) + " at " + input.target() + ")";
    }

    /** Where a source's data comes from, e.g. {@code s3://bucket/key} or {@code localDirectory /data}. */
    public static String source(InputSource input) {
        Map<String, String> p = input.params();
        return switch (input.type()) {
            case InputSource.S3 -> "s3://" + p.get("Bucket") + "/" + p.get("Key");
            case InputSource.URL -> p.get("URL");
            case InputSource.IPFS -> "ipfs://" + p.get("CID");
            case InputSource.LOCAL_DIRECTORY -> "localDirectory " + p.get("SourcePath");
            default -> input.type();
        };
    }
}
