package dev.cidra.executor.service.config;

import dev.cidra.contract.RecordTracing;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the node's {@link RecordTracing}, on the application's OpenTelemetry (spans named {@code cidra-executor}). */
@Singleton
class TracingProducer {
    @Produces
    @Singleton
    RecordTracing recordTracing(OpenTelemetry telemetry) {
        return new RecordTracing(telemetry, "cidra-executor");
    }
}
