package dev.cidra.registry;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The keys under {@code cidra.s3} that say how a service reaches the S3-compatible object store holding the modules;
 * the gateway and the executors both map them (a SmallRye config group), and {@link S3Connection#of} turns them into
 * a connection.
 */
public interface S3Config {
    /**
     * {@code cidra.s3.endpoint}: the object store's base URI, e.g. {@code http://127.0.0.1:9000} for MinIO or S3Proxy;
     * when set, buckets are addressed path-style ({@code endpoint/bucket/key}). Unset: the AWS S3 endpoint of
     * {@link #region()}, virtual-hosted style.
     */
    Optional<URI> endpoint();

    /** {@code cidra.s3.region}: the region requests are signed for (and sent to, without an endpoint). */
    @WithDefault("us-east-1")
    String region();

    /**
     * {@code cidra.s3.access-key-id}: the access key of static credentials; set together with
     * {@link #secretAccessKey()}. Unset: the AWS default credentials chain (environment, profile, web identity,
     * container or instance role).
     */
    Optional<String> accessKeyId();

    /** {@code cidra.s3.secret-access-key}: the secret of static credentials; set together with the access key. */
    Optional<String> secretAccessKey();

    /**
     * {@code cidra.s3.readiness-timeout}: how long the readiness check waits for the object store to answer
     * {@code HeadBucket} (retries included) before it reports the service not ready.
     */
    @WithDefault("2s")
    Duration readinessTimeout();
}
