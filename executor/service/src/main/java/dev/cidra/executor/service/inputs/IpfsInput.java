package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.ModuleTooLargeException;
import dev.cidra.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fetches an {@code ipfs} input through the node's trustless gateway ({@link ContentStore#ipfsGateway}: every block is
 * verified against its CID, so the gateway is not trusted) to {@code <dir>/<CID>}. The content is held in memory
 * before it is written, so it is bounded by the job's disk budget and by {@code Integer.MAX_VALUE - 16}. Thread-safe.
 */
final class IpfsInput {
    private static final long MAX_CONTENT_BYTES = Integer.MAX_VALUE - 16;

    private final ContentStore gateway; // null: none configured

    IpfsInput(ContentStore gateway) {
        this.gateway = gateway;
    }

    void fetch(String cidText, Path dir, DiskBudget budget) throws IOException, InputException {
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
    }
}
