package dev.cidra.executor.service.health;

import dev.cidra.executor.service.execution.EngineWarmup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down until the engine's startup warm-up has ended ({@link EngineWarmup}), with its progress ({@code rounds done} of
 * {@code rounds}), so that a node says it is ready only once its compiler is warm; down for good, with the reason, if
 * the warm-up failed.
 */
@Readiness
@Singleton
class WarmupReadinessCheck implements HealthCheck {
    private final EngineWarmup warmup;

    WarmupReadinessCheck(EngineWarmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("engine-warmup")
                .withData("rounds", warmup.rounds())
                .withData("done", warmup.done());
        if (warmup.failure() != null) {
            return response.withData("failure", warmup.failure()).down().build();
        }
        return response.status(warmup.warm()).build();
    }
}
