package dev.cidra.registry;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How a Cidra service reaches its S3-compatible object store; the services' {@code cidra.s3.*} configuration maps onto
 * it.
 *
 * @param endpoint the store's base URI (e.g. S3Proxy or MinIO); when present, buckets are addressed path-style
 * @param region the region requests are signed for
 * @param accessKeyId static credentials, set together with {@code secretAccessKey}; both empty: the AWS default chain
 * @param secretAccessKey the secret of the static credentials
 */
public record S3Connection(
        Optional<URI> endpoint, String region, Optional<String> accessKeyId, Optional<String> secretAccessKey) {
    public S3Connection {
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("cidra.s3.access-key-id and cidra.s3.secret-access-key must be set"
                    + " together (static credentials) or both left unset (the AWS default credentials chain), but only "
                    + (accessKeyId.isPresent() ? "cidra.s3.access-key-id" : "cidra.s3.secret-access-key")
                    + " is set");
        }
    }

    /** The connection {@code cidra.s3.*} describes. */
    public static S3Connection of(S3Config s3) {
        return new S3Connection(s3.endpoint(), s3.region(), s3.accessKeyId(), s3.secretAccessKey());
    }

    /**
     * A new thread-safe client using the Apache HTTP client (connection pool, stale-connection checks). The client owns its HTTP client and credentials
     * provider: closing it releases both.
     */
    public S3Client newClient() {
        var builder = S3Client.builder().region(Region.of(region)).httpClientBuilder(ApacheHttpClient.builder());
        accessKeyId.ifPresent(id -> builder.credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secretAccessKey.orElseThrow()))));
        endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }
}
