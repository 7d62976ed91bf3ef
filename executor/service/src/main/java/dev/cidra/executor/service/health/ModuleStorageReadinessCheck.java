package dev.cidra.executor.service.health;

import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ready only while the module bucket answers {@code HeadBucket} within {@code cidra.s3.readiness-timeout}: modules not
 * yet cached come from there. Each check reports to the {@link S3Outage}.
 */
@Readiness
@Singleton
class ModuleStorageReadinessCheck implements HealthCheck {
    private final S3Client s3;
    private final ExecutorConfig config;
    private final S3Outage outage;

    ModuleStorageReadinessCheck(S3Client s3, ExecutorConfig config, S3Outage outage) {
        this.s3 = s3;
        this.outage = outage;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String bucket = config.registry().bucket();
        var response = HealthCheckResponse.named("module-storage")
                .withData("bucket", bucket)
                .withData(
                        "endpoint",
                        config.s3()
                                .endpoint()
                                .map(Object::toString)
                                .orElse("AWS " + config.s3().region()));
        var timeout = config.s3().readinessTimeout();
        var head = CompletableFuture.runAsync(() -> s3.headBucket(b -> b.bucket(bucket)));
        try {
            head.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            outage.succeeded(S3Outage.NODE);
            return response.up().build();
        } catch (ExecutionException e) {
            outage.failed(S3Outage.NODE, "the readiness check (HeadBucket " + bucket + ")", e.getCause());
            return response.down().withData("error", e.getCause().getMessage()).build();
        } catch (TimeoutException e) {
            head.cancel(true);
            return response.down()
                    .withData("error", "no answer within " + timeout)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
