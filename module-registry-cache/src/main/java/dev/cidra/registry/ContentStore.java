package dev.cidra.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A place that may hold the content of a CID: a directory, an S3 bucket, an HTTP server or an IPFS gateway.
 *
 * <p>A store never returns bytes it has not verified against the CID, and stops reading as soon as it knows the
 * content is over the limit it is given. Implementations are thread-safe.
 */
public interface ContentStore {

    /**
     * Fetches the content of {@code cid}.
     *
     * @param maxBytes the largest content accepted, between 0 and {@code Integer.MAX_VALUE - 16}
     * @return the content, verified against {@code cid}; empty if this store does not hold {@code cid}
     * @throws ModuleTooLargeException if the content is larger than {@code maxBytes}; reading stops at
     *     {@code maxBytes + 1} bytes, or before the content when its size is declared (a {@code Content-Length}, an
     *     S3 object's size, a file's size, a UnixFS root's file size)
     * @throws ContentMismatchException if the bytes do not hash to {@code cid}
     * @throws RegistryException if the store cannot be read; the message names the store and the CID
     * @throws IllegalArgumentException if {@code maxBytes} is out of range
     */
    Optional<byte[]> fetch(Cid cid, long maxBytes);

    /**
     * Fetches the file or directory tree {@code cid} names, as {@link UnixFs#get} returns it. A store of files (every
     * store but an IPFS gateway) holds files only: its tree is the one file {@link #fetch} returns.
     *
     * @param maxBytes the most bytes the files may hold together, as for {@link #fetch}
     * @return the tree, every block verified; empty if this store does not hold {@code cid}
     * @throws ModuleTooLargeException if the files hold more than {@code maxBytes}
     * @throws ContentMismatchException if a block does not hash to its CID
     * @throws RegistryException if the store cannot be read or the tree is not one {@link UnixFs#get} reads
     */
    default Optional<List<UnixFs.TreeEntry>> fetchTree(Cid cid, long maxBytes) {
        return fetch(cid, maxBytes)
                .map(content -> List.of(new UnixFs.TreeEntry("", () -> new java.io.ByteArrayInputStream(content))));
    }

    /** Where this store reads from, e.g. {@code s3://bucket/prefix}; used in error messages. */
    String describe();

    /**
     * A directory holding one file per module, named by the CID string ({@code dir/<cid>}) or by the CID string and
     * {@code .wasm} ({@code dir/<cid>.wasm}), tried in that order.
     */
    static ContentStore directory(Path dir) {
        return new DirectoryStore(dir, List.of("", ".wasm"));
    }

    /**
     * An S3 bucket holding one object per module under the key {@code keyPrefix + cid}. A missing key (HTTP 404,
     * {@code NoSuchKey}) means the store does not hold the CID; a missing bucket is an error.
     *
     * @param client used as configured (endpoint, credentials, retries); the caller closes it
     */
    static ContentStore s3(S3Client client, String bucket, String keyPrefix) {
        return new S3Store(client, bucket, keyPrefix);
    }

    /**
     * An HTTP(S) server serving each module at {@code uriTemplate} with every {@code {cid}} replaced by the CID string.
     * HTTP 404 means the store does not hold the CID; any other status outside 2xx is an error. A response whose
     * {@code Content-Length} is over the limit is rejected before its body is read. Each request, body included, must
     * complete within 30 seconds.
     *
     * @param client used as configured (redirects, proxy, TLS); the caller closes it
     * @throws IllegalArgumentException if the template has no {@code {cid}} or is not an absolute http or https URI
     */
    static ContentStore http(String uriTemplate, HttpClient client) {
        return new HttpStore(uriTemplate, client, HttpStore.DEFAULT_TIMEOUT);
    }

    /**
     * An IPFS <a href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">trustless gateway</a>: every block of
     * the UnixFS DAG is fetched separately ({@code GET {gateway}/ipfs/{cid}?format=raw} with {@code Accept:
     * application/vnd.ipld.raw}), verified, and the file is reassembled from the blocks. HTTP 404 for the root block
     * means the store does not hold the CID; a missing inner block is an error. Each block request must complete
     * within 30 seconds; a block may be at most 2 MiB, the IPFS block size limit.
     *
     * @param gateway the gateway's base URI, e.g. {@code https://trustless-gateway.link}
     * @param client used as configured; the caller closes it
     * @throws IllegalArgumentException if {@code gateway} is not an absolute http or https URI without query
     */
    static ContentStore ipfsGateway(URI gateway, HttpClient client) {
        return new IpfsGatewayStore(gateway, client, HttpStore.DEFAULT_TIMEOUT);
    }
}
