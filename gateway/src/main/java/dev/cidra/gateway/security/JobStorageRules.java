package dev.cidra.gateway.security;

import dev.cidra.contract.InputSource;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.StorageGrants;
import dev.cidra.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link StorageGrants} of this platform ({@link JobStorageConfig}, the module bucket, the S3 endpoint), applied at
 * submission to every {@code s3} input, module source and publisher of a job or trigger. The executors apply the same rules again
 * before they send any request. Thread-safe.
 */
@Singleton
public class JobStorageRules {
    private final StorageGrants grants;

    JobStorageRules(GatewayConfig config, JobStorageConfig storage) {
        this.grants =
                storage.grants(Set.of(config.registry().bucket()), config.s3().endpoint());
    }

    /**
     * Why the job may not be run, starting with the path of the field in the spec (as every invalid-job-spec detail
     * does), or empty if its S3 locations are allowed.
     */
    public Optional<String> refusal(JobRequest job) {
        List<InputSource> inputs = job.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            var refusal = readRefusal(inputs.get(i), job.tenant());
            if (refusal.isPresent()) {
                return Optional.of("Tasks[0].InputSources[" + i + "].Source.Params: " + refusal.get());
            }
        }
        if (job.modules() != null) {
            String engine = "Tasks[0].Engine.Params.";
            if (job.modules().entry() != null) {
                var refusal = readRefusal(job.modules().entry(), job.tenant());
                if (refusal.isPresent()) {
                    return Optional.of(engine + "EntryModule.Source.Params: " + refusal.get());
                }
            }
            List<InputSource> imports = job.modules().imports();
            for (int i = 0; i < imports.size(); i++) {
                var refusal = readRefusal(imports.get(i), job.tenant());
                if (refusal.isPresent()) {
                    return Optional.of(engine + "ImportModules[" + i + "].Source.Params: " + refusal.get());
                }
            }
        }
        return refusal(job.publisher(), job.tenant()).map(refusal -> "Tasks[0].Publisher.Params: " + refusal);
    }

    private Optional<String> readRefusal(InputSource input, String tenant) {
        if (!InputSource.S3.equals(input.type())) {
            return Optional.empty();
        }
        return grants.refusal(
                StorageGrants.Use.READ, tenant, input.param("Endpoint"), input.param("Bucket"), input.param("Key"));
    }

    /** Why a job of {@code tenant} may not write the object (or prefix) {@code key}, or empty if it may. */
    Optional<String> writeRefusal(String tenant, String endpoint, String bucket, String key) {
        return grants.refusal(StorageGrants.Use.WRITE, tenant, endpoint, bucket, key);
    }

    /** Why a publisher of {@code tenant} may not write where it says, or empty if it may (or is not {@code s3}). */
    public Optional<String> refusal(Publisher publisher, String tenant) {
        if (publisher == null || !Publisher.S3.equals(publisher.type())) {
            return Optional.empty();
        }
        var params = publisher.params();
        return grants.refusal(
                StorageGrants.Use.WRITE,
                tenant,
                params.get("Endpoint"),
                params.get("Bucket"),
                StorageGrants.literalPrefix(params.get("Key")));
    }
}
