package dev.cidra.executor.service.security;

import dev.cidra.contract.StorageGrants;
import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * The {@link StorageGrants} of this node ({@link JobStorageConfig}, its own buckets and endpoint), checked before any
 * request of an {@code s3} input or publisher is sent, whatever the gateway checked at submission: a job that reached
 * Kafka some other way is held to the same rules. Thread-safe.
 */
@Singleton
public class JobStorageAccess {
    private final StorageGrants grants;

    JobStorageAccess(ExecutorConfig config, JobStorageConfig storage) {
        this.grants = storage.grants(
                Set.copyOf(List.of(
                        config.registry().bucket(),
                        config.jobs().stateBucket().orElse(config.registry().bucket()))),
                config.s3().endpoint());
    }

    /**
     * @param tenant the job's tenant (null: the default tenant)
     * @param endpoint the input's or publisher's {@code Endpoint}; null for the node's own
     * @param key the object's key, or the prefix of a listing
     * @throws AccessDeniedException saying which rule refuses it
     */
    public void check(StorageGrants.Use use, String tenant, String endpoint, String bucket, String key)
            throws AccessDeniedException {
        var refusal = grants.refusal(use, tenant, endpoint, bucket, key);
        if (refusal.isPresent()) {
            throw new AccessDeniedException(refusal.get());
        }
    }

    /** A job asked for an S3 location it may not use. */
    public static final class AccessDeniedException extends Exception {
        private static final long serialVersionUID = 1L;

        AccessDeniedException(String message) {
            super(message);
        }
    }
}
