package dev.cidra.executor.service.health;

import dev.cidra.executor.WasmRuntime;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the wasm engine: its implementation and whether guest code is JIT-compiled ({@code COMPILED}) or only
 * interpreted. Always up: an interpreter-only node works, slowly, and says so loudly at startup.
 */
@Readiness
@Singleton
class EngineReadinessCheck implements HealthCheck {
    private final WasmRuntime runtime;

    EngineReadinessCheck(WasmRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("wasm-engine")
                .withData("mode", runtime.mode().name())
                .withData("implementation", runtime.implementationName())
                .withData("linked-modules", runtime.linkedModules())
                .up()
                .build();
    }
}
