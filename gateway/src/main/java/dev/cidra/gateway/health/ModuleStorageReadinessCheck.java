package dev.cidra.gateway.health;

import dev.cidra.gateway.storage.ModuleBucket;
import dev.cidra.gateway.storage.StorageException;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the module bucket answers {@code HeadBucket} within {@code cidra.s3.readiness-timeout}: without it
 * the gateway can neither store nor serve modules. The report names the bucket and, when down, the reason.
 */
@Readiness
@Singleton
class ModuleStorageReadinessCheck implements HealthCheck {
    private final ModuleBucket bucket;

    ModuleStorageReadinessCheck(ModuleBucket bucket) {
        this.bucket = bucket;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("module-storage").withData("store", bucket.describe());
        try {
            bucket.check();
            return response.up().build();
        } catch (StorageException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
