package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.ModuleTooLargeException;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.UnixFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fetches an {@code ipfs} input through the node's trustless gateway ({@link ContentStore#ipfsGateway}: every block is
 * verified against its CID, so the gateway is not trusted), as {@code ipfs get} would: a directory CID's entries under
 * the directory given, a file CID as one file in it. The content is held in memory before it is written, so it is
 * bounded by the job's disk budget and by {@code Integer.MAX_VALUE - 16}. Thread-safe.
 */
final class IpfsInput {
    private static final long MAX_CONTENT_BYTES = Integer.MAX_VALUE - 16;

    private final ContentStore gateway; // null: none configured

    IpfsInput(ContentStore gateway) {
        this.gateway = gateway;
    }

    /**
     * @param fileName what a file CID is written as, in {@code dir}
     * @return whether the CID named a file (written as {@code dir/fileName}) rather than a directory (whose entries
     *     are written under {@code dir})
     */
    boolean fetch(String cidText, Path dir, String fileName, DiskBudget budget) throws IOException, InputException {
        if (gateway == null) {
            throw new InputException("no IPFS gateway configured (cidra.ipfs.gateway)");
        }
        Cid cid;
        try {
            cid = Cid.parse(cidText);
        } catch (InvalidCidException e) {
            throw new InputException("CID: " + e.getMessage(), e);
        }
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
        return file;
    }
}
