package dev.cidra.contract;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs may read and write S3 data with the platform's credentials, under the prefix {@code cidra.job-storage}:
 * one set of keys that the gateway (at submission, so that a refused location is a 400 before anything runs) and every
 * executor (before it sends any request) read alike; give both the same values, e.g. from one ConfigMap. Deny by
 * default: a tenant granted nothing may use no {@code s3} input or publisher, and the buckets of the platform's own
 * state are refused whatever is granted. Each service maps these keys with an interface of its own that extends this
 * one ({@code @ConfigMapping} belongs to the services, not to this framework-free module).
 */
public interface JobStorageConfig {
    /** Per tenant (the key of the map, e.g. {@code cidra.job-storage.tenants.team-a.read}), what its jobs may use. */
    Map<String, Grants> tenants();

    /**
     * {@code cidra.job-storage.endpoints}: the S3 {@code Endpoint} values a job's input or publisher may name besides
     * the platform's own {@code cidra.s3.endpoint}, compared by scheme, host and port. Unset: only the platform's own
     * (a job naming no endpoint uses it). Every request to an endpoint is signed with the platform's credentials, so
     * list only stores that should see them.
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
         * expanded key on the executor; at submission the key template's literal start (before its first placeholder)
         * must be covered. Unset: none.
         */
        Optional<List<String>> write();
    }

    /**
     * The grants these settings give, with the platform's own buckets and endpoint.
     *
     * @param platformBuckets the buckets of the platform's own state, refused to every job
     * @param ownEndpoint the platform's own S3 endpoint (empty: AWS)
     */
    default StorageGrants grants(Set<String> platformBuckets, Optional<URI> ownEndpoint) {
        var byTenant = new HashMap<String, StorageGrants.Tenant>();
        tenants()
                .forEach((tenant, granted) -> byTenant.put(
                        tenant,
                        new StorageGrants.Tenant(
                                granted.read().orElse(List.of()),
                                granted.write().orElse(List.of()))));
        return new StorageGrants(
                platformBuckets, byTenant, ownEndpoint, endpoints().orElse(List.of()));
    }
}
