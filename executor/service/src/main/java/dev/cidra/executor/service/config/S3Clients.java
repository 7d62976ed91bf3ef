package dev.cidra.executor.service.config;

import dev.cidra.registry.S3Config;
import dev.cidra.registry.S3Connection;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 clients for job inputs and publishers: the node's own client ({@code cidra.s3.*}) unless the job names another
 * endpoint or region, in which case a new client with the node's credentials. Thread-safe.
 */
@Singleton
public class S3Clients {
    private final S3Client shared;
    private final S3Config s3;

    S3Clients(S3Client shared, ExecutorConfig config) {
        this.shared = shared;
        this.s3 = config.s3();
    }

    /**
     * A client for the given endpoint and region, each null for the node's own; close the lease when done.
     *
     * @throws IllegalArgumentException if {@code endpoint} is not an absolute http or https URI
     */
    public Lease lease(String endpoint, String region) {
        if (endpoint == null && region == null) {
            return new Lease(
                    shared, false, s3.region(), s3.endpoint().map(URI::toString).orElse(null));
        }
        Optional<URI> uri = endpoint == null ? s3.endpoint() : Optional.of(httpUri(endpoint));
        String signingRegion = region == null ? s3.region() : region;
        var client = new S3Connection(uri, signingRegion, s3.accessKeyId(), s3.secretAccessKey()).newClient();
        return new Lease(client, true, signingRegion, uri.map(URI::toString).orElse(null));
    }

    private static URI httpUri(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Endpoint \"" + endpoint + "\" is not a URI: " + e.getMessage(), e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("Endpoint \"" + endpoint + "\" must be an absolute http or https URI");
        }
        return uri;
    }

    /**
     * A client and where it points.
     *
     * @param region the region requests are signed for
     * @param endpoint the endpoint, or null for AWS
     */
    public record Lease(S3Client client, boolean owned, String region, String endpoint) implements AutoCloseable {
        /** Closes the client if it was made for this lease; the node's own client stays open. */
        @Override
        public void close() {
            if (owned) {
                client.close();
            }
        }
    }
}
