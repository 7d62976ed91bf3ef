package dev.cidra.gateway.security;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where jobs may read and write S3 data, under the prefix {@code cidra.job-storage}: the same keys the executors read
 * (give both the same values, e.g. from one ConfigMap), checked here at submission so that a refused location is a 400
 * before anything runs. Deny by default: a tenant granted nothing may use no {@code s3} input or publisher, and the
 * module bucket ({@code cidra.registry.bucket}) is refused whatever is granted.
 */
@ConfigMapping(prefix = "cidra.job-storage")
public interface JobStorageConfig {
    /** Per tenant (the key of the map, e.g. {@code cidra.job-storage.tenants.team-a.read}), what its jobs may use. */
    Map<String, Grants> tenants();

    /**
     * {@code cidra.job-storage.endpoints}: the S3 {@code Endpoint} values a job may name besides the platform's own
     * {@code cidra.s3.endpoint}, compared by scheme, host and port. Unset: only the platform's own.
     */
    Optional<List<URI>> endpoints();

    /** What one tenant's jobs may do. */
    interface Grants {
        /**
         * {@code cidra.job-storage.tenants.<tenant>.read}: comma-separated {@code BUCKET}, {@code BUCKET/PREFIX} or
         * {@code *} (any bucket but the platform's) its {@code s3} inputs may read. Unset: none.
         */
        Optional<List<String>> read();

        /**
         * {@code cidra.job-storage.tenants.<tenant>.write}: the same for its {@code s3} publishers; at submission the
         * key template's literal start (before its first placeholder) must be covered. Unset: none.
         */
        Optional<List<String>> write();
    }
}
