package dev.cidra.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Block-by-block retrieval from an IPFS trustless gateway; {@link UnixFs#cat} verifies every block against its CID, so
 * the gateway is not trusted. Thread-safe because {@link HttpClient} is.
 */
final class IpfsGatewayStore implements ContentStore {
    /** The largest block IPFS implementations exchange (bitswap's limit). */
    static final long MAX_BLOCK_BYTES = 2 * 1024 * 1024;

    private static final String RAW_BLOCK = "application/vnd.ipld.raw";

    private final String base;
    private final HttpClient client;
    private final Duration timeout;

    IpfsGatewayStore(URI gateway, HttpClient client, Duration timeout) {
        Objects.requireNonNull(gateway, "gateway");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        HttpStore.checkHttpUri(gateway.toString(), "IPFS gateway " + gateway);
        if (gateway.getRawQuery() != null || gateway.getRawFragment() != null) {
            throw new IllegalArgumentException("IPFS gateway " + gateway + " must not have a query or a fragment");
        }
        String uri = gateway.toString();
        this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    @Override
    public Optional<byte[]> fetch(Cid cid, long maxBytes) {
        Objects.requireNonNull(cid, "cid");
        ContentChecks.checkLimit(maxBytes);
        Optional<byte[]> root = block(cid, cid, maxBytes);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        UnixFs.BlockSource blocks = block -> block.equals(cid)
                ? root.get()
                : block(block, cid, maxBytes)
                        .orElseThrow(() -> new RegistryException("IPFS gateway " + base + " has the root of module "
                                + cid + " but not its block " + block));
        try {
            return Optional.of(UnixFs.cat(cid, blocks, maxBytes));
        } catch (ContentMismatchException e) {
            throw ContentChecks.atSource(e, "IPFS gateway " + base);
        } catch (IOException e) {
            throw new RegistryException("cannot assemble module " + cid + " from IPFS gateway " + base + ": " + e, e);
        }
    }

    @Override
    public Optional<List<UnixFs.TreeEntry>> fetchTree(Cid cid, long maxBytes) {
        Objects.requireNonNull(cid, "cid");
        ContentChecks.checkLimit(maxBytes);
        Optional<byte[]> root = block(cid, cid, maxBytes);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        UnixFs.BlockSource blocks = block -> block.equals(cid)
                ? root.get()
                : block(block, cid, maxBytes)
                        .orElseThrow(() -> new RegistryException(
                                "IPFS gateway " + base + " has the root of " + cid + " but not its block " + block));
        try {
            return Optional.of(UnixFs.get(cid, blocks, maxBytes));
        } catch (ContentMismatchException e) {
            throw ContentChecks.atSource(e, "IPFS gateway " + base);
        } catch (IOException e) {
            throw new RegistryException("cannot assemble " + cid + " from IPFS gateway " + base + ": " + e, e);
        }
    }

    /** A raw block is file content, so one larger than {@code maxBytes} makes the module too large. */
    private Optional<byte[]> block(Cid block, Cid root, long maxBytes) {
        boolean contentBlock = block.codec() == Cid.Codec.RAW && maxBytes < MAX_BLOCK_BYTES;
        long limit = contentBlock ? maxBytes : MAX_BLOCK_BYTES;
        Supplier<RegistryException> overLimit = contentBlock
                ? () -> ContentChecks.tooLarge(root, maxBytes, "IPFS gateway " + base)
                : () -> new RegistryException("IPFS gateway " + base + " sent block " + block + " of module " + root
                        + " larger than " + MAX_BLOCK_BYTES + " bytes, the IPFS block size limit");
        var request = HttpRequest.newBuilder(URI.create(base + "/ipfs/" + block + "?format=raw"))
                .header("Accept", RAW_BLOCK)
                .timeout(timeout)
                .GET()
                .build();
        String what = block.equals(root) ? "module " + root : "block " + block + " of module " + root;
        return HttpGet.fetch(client, request, limit, overLimit, what);
    }

    @Override
    public String describe() {
        return base + "/ipfs/{cid}";
    }

    @Override
    public String toString() {
        return describe();
    }
}
