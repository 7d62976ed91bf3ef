package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.content.ResultContent;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleTooLargeException;
import dev.cidra.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Fetches an {@code ipfs} input, {@code CID} or {@code CID/path}: first from the platform's {@link ResultContent} (a
 * result a job of the same tenant published, unpacked and checked against its CID; {@code path} picks an entry of
 * it), else through the node's trustless gateway ({@link ContentStore#ipfsGateway}: every block is verified against
 * its CID, so the gateway is not trusted) to {@code <dir>/<CID>}; a path is only resolved in kept results. What comes
 * from the gateway is held in memory before it is written, so it is bounded by the job's disk budget and by
 * {@code Integer.MAX_VALUE - 16}. Thread-safe.
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
     * @param tenant the job's tenant: only its own kept results are found
     * @return whether it came from the kept results (so its CID was checked as a result directory's)
     * @throws IllegalStateException if the content store cannot be read (an outage of the node's state bucket)
     */
    boolean fetch(String tenant, String cidText, Path dir, DiskBudget budget) throws IOException, InputException {
        ResultContent.ContentPath named;
        try {
            named = ResultContent.ContentPath.parse(cidText);
        } catch (IllegalArgumentException e) { // InvalidCidException too
            throw new InputException("CID: " + e.getMessage(), e);
        }
        try {
            if (results.fetch(tenant, named, dir.resolveSibling(dir.getFileName() + ".content"), dir, budget)) {
                return true;
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
        byte[] content;
        try {
            content = gateway.fetch(cid, limit)
                    .orElseThrow(() -> new InputException(gateway.describe() + " does not have " + cid));
        } catch (ModuleTooLargeException e) {
            throw new InputException(
                    cid + " is larger than the " + limit
                            + " bytes left of the job's disk cap (inputs and result together)",
                    e);
        } catch (RegistryException e) {
            throw new InputException(e.getMessage(), e);
        }
        budget.take(content.length, cid.toString());
        Files.createDirectories(dir);
        Files.write(dir.resolve(cidText), content);
        return false;
    }
}
