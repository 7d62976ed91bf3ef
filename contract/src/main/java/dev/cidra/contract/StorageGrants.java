package dev.cidra.contract;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which S3 locations jobs may read and write with the platform's credentials, the rules the gateway applies at
 * submission and the executors again before any request: never the buckets of the platform's own state, only
 * endpoints the operator allows, and otherwise only what the operator granted the job's tenant (deny by default).
 * Immutable.
 *
 * <p>A grant is {@code *} (any bucket but the platform's), {@code BUCKET} (all of it) or {@code BUCKET/PREFIX} (keys
 * starting with {@code PREFIX}). A single object is covered when its key starts with the prefix, a listing when the
 * listed prefix does.
 */
public final class StorageGrants {
    /** What a job does with a location. */
    public enum Use {
        READ,
        WRITE;

        String verb() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One tenant's grants.
     *
     * @param read what its {@code s3} inputs may read
     * @param write what its {@code s3} publishers may write
     */
    public record Tenant(List<String> read, List<String> write) {
        public Tenant {
            read = List.copyOf(read);
            write = List.copyOf(write);
        }
    }

    private final Set<String> platformBuckets;
    private final Map<String, Tenant> tenants;
    private final Optional<URI> ownEndpoint;
    private final List<URI> endpoints;

    /**
     * @param platformBuckets the buckets of the platform's own state (modules, execution markers): refused to every job
     * @param tenants per tenant, its grants; a tenant not listed may use no S3 location
     * @param ownEndpoint the platform's own S3 endpoint (empty: AWS), which a job naming no {@code Endpoint} uses
     * @param endpoints the other {@code Endpoint} values jobs may name
     */
    public StorageGrants(
            Set<String> platformBuckets, Map<String, Tenant> tenants, Optional<URI> ownEndpoint, List<URI> endpoints) {
        this.platformBuckets = Set.copyOf(platformBuckets);
        this.tenants = Map.copyOf(tenants);
        this.ownEndpoint = ownEndpoint;
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Why a job of {@code tenant} may not use the location, or empty if it may.
     *
     * @param tenant the job's tenant; null means {@link ApiKey#DEFAULT_TENANT}
     * @param endpoint the job's {@code Endpoint}; null for the platform's own
     * @param key the object's key, or the prefix of a listing (for a key template, the part before its first
     *     placeholder)
     */
    public Optional<String> refusal(Use use, String tenant, String endpoint, String bucket, String key) {
        if (endpoint != null && !allowedEndpoint(endpoint)) {
            return Optional.of("Endpoint \"" + endpoint + "\" is not an S3 endpoint the operator allows: requests to it"
                    + " would carry the platform's credentials (allowed: the platform's own and"
                    + " cidra.job-storage.endpoints)");
        }
        String location = "s3://" + bucket + "/" + key;
        if (platformBuckets.contains(bucket)) {
            return Optional.of("bucket " + bucket + " holds the platform's own state (modules, execution markers): no"
                    + " job may " + use.verb() + " it, so " + location + " is refused");
        }
        String owner = tenant == null ? ApiKey.DEFAULT_TENANT : tenant;
        Tenant grants = tenants.get(owner);
        List<String> granted = grants == null ? List.of() : use == Use.READ ? grants.read() : grants.write();
        for (String grant : granted) {
            if (covers(grant, bucket, key)) {
                return Optional.empty();
            }
        }
        return Optional.of("tenant " + owner + " may not " + use.verb() + " " + location + ": the operator allows it"
                + " to " + use.verb() + " "
                + (granted.isEmpty()
                        ? "no S3 location (cidra.job-storage.tenants." + owner + "." + use.verb() + ")"
                        : "only " + String.join(", ", granted)));
    }

    /** The literal start of a key template: the part before its first placeholder. */
    public static String literalPrefix(String keyTemplate) {
        int open = keyTemplate.indexOf('{');
        return open < 0 ? keyTemplate : keyTemplate.substring(0, open);
    }

    private boolean allowedEndpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return allowedEndpoints().stream().anyMatch(allowed -> sameOrigin(allowed, uri));
    }

    private List<URI> allowedEndpoints() {
        return ownEndpoint
                .map(own -> Stream.concat(Stream.of(own), endpoints.stream()).toList())
                .orElse(endpoints);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b)
                && (b.getPath() == null || b.getPath().isEmpty() || b.getPath().equals("/"))
                && b.getUserInfo() == null;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean covers(String grant, String bucket, String key) {
        if (grant.equals("*")) {
            return true;
        }
        int slash = grant.indexOf('/');
        String grantBucket = slash < 0 ? grant : grant.substring(0, slash);
        String prefix = slash < 0 ? "" : grant.substring(slash + 1);
        return grantBucket.equals(bucket) && key.startsWith(prefix);
    }
}
