package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.content.ResultContent;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleTooLargeException;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.UnixFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Fetches an {@code ipfs} input, {@code CID} or {@code CID/path}, as {@code ipfs get} would: a directory's entries under
 * the directory given, a file as one file in it. First from the platform's {@link ResultContent} (a result a job of the
 * same tenant published, unpacked and checked against its CID; {@code path} picks an entry of it), else through the
 * node's trustless gateway ({@link ContentStore#ipfsGateway}: every block is verified against its CID, so the gateway
 * is not trusted); a path is only resolved in kept results. What comes from the gateway is held in memory before it is
 * written, so it is bounded by the job's disk budget and by {@code Integer.MAX_VALUE - 16}. Thread-safe.
 */
final class IpfsInput {
    private static final long MAX_CONTENT_BYTES = Integer.MAX_VALUE - 16;

    private final ContentStore gateway; // null: none configured
    private final ResultContent results;

    IpfsInput(ContentStore gateway, ResultContent results) {
        this.gateway = gateway;
        this.results = results;
    }

    /**
     * What a fetch wrote.
     *
     * @param file whether the CID (or its path) named a file, written as {@code dir/fileName}, rather than a directory,
     *     whose entries are written under {@code dir}
     * @param keptResult whether it came from the kept results (so its CID was checked as a result directory's)
     */
    record Fetched(boolean file, boolean keptResult) {}

    /**
     * @param tenant the job's tenant: only its own kept results are found
     * @param fileName what a file is written as, in {@code dir}
     * @throws IllegalStateException if the content store cannot be read (an outage of the node's state bucket)
     */
    Fetched fetch(String tenant, String cidText, Path dir, String fileName, DiskBudget budget)
            throws IOException, InputException {
        ResultContent.ContentPath named;
        try {
            named = ResultContent.ContentPath.parse(cidText);
        } catch (IllegalArgumentException e) { // InvalidCidException too
            throw new InputException("CID: " + e.getMessage(), e);
        }
        try {
            var found = results.fetch(
                    tenant, named, dir.resolveSibling(dir.getFileName() + ".content"), dir, fileName, budget);
            if (found != ResultContent.Found.NOTHING) {
                return new Fetched(found == ResultContent.Found.FILE, true);
            }
        } catch (SdkException e) {
            throw new IllegalStateException("the content store cannot be read: " + e.getMessage(), e);
        }
        if (!named.path().isEmpty()) {
            throw new InputException("no result of this tenant has the CID " + named.cid()
                    + ", and a path after a CID is only resolved in the results this platform keeps");
        }
        if (gateway == null) {
            throw new InputException("no result of this tenant has the CID " + named.cid()
                    + ", and no IPFS gateway is configured (cidra.ipfs.gateway)");
        }
        Cid cid = named.cid();
        long limit = Math.min(budget.remaining(), MAX_CONTENT_BYTES);
        List<UnixFs.TreeEntry> tree;
        try {
            tree = gateway.fetchTree(cid, limit)
                    .orElseThrow(() -> new InputException(gateway.describe() + " does not have " + cid));
        } catch (ModuleTooLargeException e) {
            throw new InputException(
                    cid + " is larger than the " + limit
                            + " bytes left of the job's disk cap (inputs and result together)",
                    e);
        } catch (RegistryException e) {
            throw new InputException(e.getMessage(), e);
        }
        Files.createDirectories(dir);
        boolean file = tree.size() == 1 && tree.getFirst().path().isEmpty();
        for (UnixFs.TreeEntry entry : tree) {
            Path path = dir.resolve(file ? fileName : entry.path());
            if (entry.directory()) {
                Files.createDirectories(path);
                continue;
            }
            try (InputStream in = entry.content().open()) {
                byte[] content = in.readAllBytes();
                budget.take(content.length, cid + (file ? "" : "/" + entry.path()));
                Files.write(path, content);
            }
        }
        return new Fetched(file, false);
    }
}
