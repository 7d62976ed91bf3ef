package dev.cidra.executor.service.config;

import dev.cidra.executor.RuntimeMode;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleRegistry;
import dev.cidra.registry.S3Connection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Produces the node's one S3 client, module registry and {@link WasmRuntime}, each closed at shutdown in reverse order.
 * Logs a warning at startup when the runtime has no Graal JIT.
 */
@Singleton
class EngineProducer {
    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    /**
     * @throws IllegalArgumentException if only one of the two static credentials keys is set
     */
    @Produces
    @Singleton
    S3Client s3Client(ExecutorConfig config) {
        ExecutorConfig.S3 s3 = config.s3();
        return new S3Connection(s3.endpoint(), s3.region(), s3.accessKeyId(), s3.secretAccessKey()).newClient();
    }

    void closeS3(@Disposes S3Client client) {
        client.close();
    }

    /** Modules from the bucket the gateway writes, verified against their CIDs and cached in memory. */
    @Produces
    @Singleton
    ModuleRegistry moduleRegistry(ExecutorConfig config, S3Client s3) {
        var registry = config.registry();
        return ModuleRegistry.builder()
                .store(ContentStore.s3(s3, registry.bucket(), registry.keyPrefix()))
                .maxModuleBytes(registry.maxModuleBytes())
                .memoryCacheBytes(registry.memoryCacheBytes())
                .build();
    }

    void closeRegistry(@Disposes ModuleRegistry registry) {
        registry.close();
    }

    @Produces
    @Singleton
    WasmRuntime wasmRuntime(ModuleRegistry registry, MeterRegistry meters) {
        var runtime = WasmRuntime.builder().modules(registry::fetch).build();
        if (runtime.mode() == RuntimeMode.INTERPRETED) {
            LOG.warnf(
                    "WARNING: the wasm engine (%s) runs INTERPRETER-ONLY, 75-170x slower than with the Graal JIT;"
                            + " start the JVM with the Graal compiler on --upgrade-module-path (see README.md)",
                    runtime.implementationName());
        } else {
            LOG.infof("wasm engine: %s, guest code compiled by the Graal JIT", runtime.implementationName());
        }
        Gauge.builder("cidra.linked.modules", runtime, WasmRuntime::linkedModules)
                .description("Modules in the engine's linked-module cache")
                .register(meters);
        return runtime;
    }

    void closeRuntime(@Disposes WasmRuntime runtime) {
        runtime.close();
    }
}
