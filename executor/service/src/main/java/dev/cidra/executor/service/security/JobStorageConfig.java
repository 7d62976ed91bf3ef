package dev.cidra.executor.service.security;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where jobs may read and write S3 data with the node's credentials, under the prefix {@code cidra.job-storage}. Deny by
 * default: a tenant the operator grants nothing may use no {@code s3} input or publisher. The buckets of the platform's
 * own state ({@code cidra.registry.bucket}, {@code cidra.jobs.state-bucket}) are refused whatever is granted.
 */
@ConfigMapping(prefix = "cidra.job-storage")
public interface JobStorageConfig {
    /** Per tenant (the key of the map, e.g. {@code cidra.job-storage.tenants.team-a.read}), what its jobs may use. */
    Map<String, Grants> tenants();

    /**
     * {@code cidra.job-storage.endpoints}: the S3 {@code Endpoint} values a job's input or publisher may name besides
     * the node's own {@code cidra.s3.endpoint}, compared by scheme, host and port. Unset: only the node's own (a job
     * naming no endpoint uses it). Every request to an endpoint is signed with the node's credentials, so list only
     * stores that should see them.
     */
    Optional<List<URI>> endpoints();

    /** What one tenant's jobs may do. */
    interface Grants {
        /**
         * {@code cidra.job-storage.tenants.<tenant>.read}: comma-separated {@code BUCKET}, {@code BUCKET/PREFIX} or
         * {@code *} (any bucket but the platform's) its {@code s3} inputs may read. A single object is allowed when its
         * key starts with the prefix; a listing ({@code Key} ending in {@code /} or {@code *}) when the listed prefix
         * does. Unset: none.
         */
        Optional<List<String>> read();

        /**
         * {@code cidra.job-storage.tenants.<tenant>.write}: the same for its {@code s3} publishers, checked on the
         * expanded key. Unset: none.
         */
        Optional<List<String>> write();
    }
}
