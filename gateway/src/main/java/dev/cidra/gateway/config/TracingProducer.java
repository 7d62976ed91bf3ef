package dev.cidra.gateway.config;

import dev.cidra.contract.RecordTracing;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Produces the gateway's {@link RecordTracing}, on the application's OpenTelemetry (spans named {@code cidra-gateway}). */
@Singleton
class TracingProducer {
    @Produces
    @Singleton
    RecordTracing recordTracing(OpenTelemetry telemetry) {
        return new RecordTracing(telemetry, "cidra-gateway");
    }
}
