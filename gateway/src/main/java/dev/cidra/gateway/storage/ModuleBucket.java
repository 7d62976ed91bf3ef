package dev.cidra.gateway.storage;

import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentMismatchException;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleTooLargeException;
import dev.cidra.registry.RegistryException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket of modules: one object per CID under {@code cidra.registry.key-prefix + cid}, the layout the executors'
 * registry ({@link ContentStore#s3}) reads. Thread-safe.
 */
@Singleton
public class ModuleBucket {
    /** The largest content {@link ContentStore#fetch} accepts as a limit. */
    private static final long MAX_LIMIT = Integer.MAX_VALUE - 16;

    private static final Logger LOG = Logger.getLogger(ModuleBucket.class);
    private static final String WASM = "application/wasm";

    private final S3Client s3;
    private final String bucket;
    /** The bucket and, if configured, the endpoint: for messages. */
    private final String where;

    private final String keyPrefix;
    private final long maxModuleBytes;
    private final boolean createBucket;
    private final Duration readinessTimeout;
    private final ContentStore store;

    /** @throws IllegalArgumentException if {@code cidra.registry.max-module-bytes} is out of range */
    ModuleBucket(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
        this.bucket = config.registry().bucket();
        this.where = bucket
                + config.s3().endpoint().map(endpoint -> " at " + endpoint).orElse("");
        this.keyPrefix = config.registry().keyPrefix();
        this.maxModuleBytes = config.registry().maxModuleBytes();
        this.createBucket = config.registry().createBucket();
        this.readinessTimeout = config.s3().readinessTimeout();
        if (maxModuleBytes < 1 || maxModuleBytes > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "cidra.registry.max-module-bytes must be between 1 and " + MAX_LIMIT + ", was " + maxModuleBytes);
        }
        this.store = ContentStore.s3(s3, bucket, keyPrefix);
    }

    /**
     * Creates the bucket at startup if {@code cidra.registry.create-bucket} is set and it does not exist.
     *
     * @throws StorageException if the object store cannot be reached or refuses; startup fails
     */
    void createIfMissing(@Observes StartupEvent startup) {
        if (!createBucket) {
            return;
        }
        try {
            if (exists()) {
                return;
            }
            s3.createBucket(request -> request.bucket(bucket));
            LOG.infof("created bucket %s for modules", bucket);
        } catch (BucketAlreadyOwnedByYouException createdConcurrently) {
            LOG.debugf("bucket %s was created concurrently", bucket);
        } catch (SdkException e) {
            throw new StorageException(
                    "cannot create bucket " + where + " (cidra.registry.create-bucket is true): " + e.getMessage(), e);
        }
    }

    /** The largest module accepted, {@code cidra.registry.max-module-bytes}. */
    public long maxModuleBytes() {
        return maxModuleBytes;
    }

    /**
     * Stores {@code content} under {@code cid} unless an object of the same size is already there (a key names its
     * content, so that object is this content; one of another size is corrupt and is replaced). A single PUT: the
     * object appears whole or not at all, and the store checks the bytes it received against {@code sha256}.
     *
     * @param sha256 the SHA-256 of {@code content}, e.g. {@code Cid.rawOf(content).digest()}
     * @return whether this call wrote the object
     * @throws StorageException if the store cannot be reached or refuses the request
     */
    public boolean putIfAbsent(Cid cid, byte[] content, byte[] sha256) {
        String key = keyPrefix + cid;
        try {
            Optional<Long> size = size(key);
            if (size.isPresent() && size.get() == content.length) {
                return false;
            }
            size.ifPresent(wrong -> LOG.warnf(
                    "replacing s3://%s/%s: %d bytes, but its content %s has %d",
                    bucket, key, wrong, cid, content.length));
            s3.putObject(
                    request -> request.bucket(bucket)
                            .key(key)
                            .contentType(WASM)
                            .checksumSHA256(Base64.getEncoder().encodeToString(sha256)),
                    RequestBody.fromBytes(content));
            return true;
        } catch (SdkException e) {
            throw new StorageException("cannot store s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the bucket holds an object under {@code cid} ({@code HeadObject}: nothing is read or verified; a
     * module's raw key is written last, so it names a module stored whole).
     *
     * @throws StorageException if the store cannot be reached or refuses the request
     */
    public boolean holds(Cid cid) {
        String key = keyPrefix + cid;
        try {
            return size(key).isPresent();
        } catch (SdkException e) {
            throw new StorageException("cannot look up s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The content of {@code cid}, verified against it, or empty if the bucket holds no object for it.
     *
     * @throws StorageException if the store cannot be read
     * @throws StoredModuleCorruptException if the stored object is not the content {@code cid} names, or is larger
     *     than {@code cidra.registry.max-module-bytes}
     */
    public Optional<byte[]> fetch(Cid cid) {
        try {
            return store.fetch(cid, maxModuleBytes);
        } catch (ContentMismatchException | ModuleTooLargeException e) {
            throw new StoredModuleCorruptException(
                    "the object stored for " + cid + " is not that module (" + e.getMessage() + "); it is never served"
                            + " or run: an operator must delete it, then the module can be uploaded again",
                    e);
        } catch (RegistryException e) {
            throw new StorageException(e.getMessage(), e.getCause());
        }
    }

    /**
     * Checks that the bucket exists and the credentials may use it ({@code HeadBucket}), within
     * {@code cidra.s3.readiness-timeout}.
     *
     * @throws StorageException naming the bucket and the reason otherwise
     */
    public void check() {
        try {
            s3.headBucket(
                    request -> request.bucket(bucket).overrideConfiguration(c -> c.apiCallTimeout(readinessTimeout)));
        } catch (SdkException e) {
            throw new StorageException("bucket " + where + " is not usable: " + e.getMessage(), e);
        }
    }

    /** {@code s3://bucket/prefix}, for health reports. */
    public String describe() {
        return store.describe();
    }

    private boolean exists() {
        try {
            s3.headBucket(request -> request.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Optional<Long> size(String key) {
        try {
            return Optional.of(
                    s3.headObject(request -> request.bucket(bucket).key(key)).contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
