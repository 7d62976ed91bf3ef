package dev.cidra.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's own settings, under the prefix {@code cidra}. Defaults suit the local platform; every key can be set as
 * an environment variable ({@code cidra.s3.endpoint} is {@code CIDRA_S3_ENDPOINT}). Validated at startup.
 */
@ConfigMapping(prefix = "cidra")
public interface GatewayConfig {

    /** The S3-compatible object store that holds the modules. */
    S3 s3();

    /** How modules are stored in that object store. */
    Registry registry();

    /** Connection to the S3-compatible object store. */
    interface S3 {
        /**
         * {@code cidra.s3.endpoint}: the object store's base URI, e.g. {@code http://127.0.0.1:9000} for MinIO or
         * S3Proxy; when set, buckets are addressed path-style ({@code endpoint/bucket/key}). Unset: the AWS S3 endpoint
         * of {@link #region()}, virtual-hosted style.
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
         * {@code HeadBucket} (retries included) before it reports the gateway not ready.
         */
        @WithDefault("2s")
        Duration readinessTimeout();
    }

    /** Layout and limits of the module bucket. */
    interface Registry {
        /** {@code cidra.registry.bucket}: the bucket that holds the modules. */
        @WithDefault("cidra-modules")
        String bucket();

        /**
         * {@code cidra.registry.key-prefix}: prepended to the CID to form a module's object key ({@code modules/bafk...}
         * by default); the executors' registry reads the same keys.
         */
        @WithDefault("modules/")
        String keyPrefix();

        /**
         * {@code cidra.registry.max-module-bytes}: the largest module accepted for upload, and the largest object read
         * back, in bytes (64 MiB by default); between 1 and 2147483631 (the largest content a {@code ContentStore}
         * fetches).
         */
        @WithDefault("67108864")
        long maxModuleBytes();

        /**
         * {@code cidra.registry.create-bucket}: whether to create the bucket at startup when it does not exist. Startup
         * fails if the object store cannot be reached then. Turn it off where the bucket is provisioned separately.
         */
        @WithDefault("true")
        boolean createBucket();
    }
}
