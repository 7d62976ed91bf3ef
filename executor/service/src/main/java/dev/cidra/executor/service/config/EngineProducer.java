package dev.cidra.executor.service.config;

import dev.cidra.contract.MeterTag;
import dev.cidra.executor.RuntimeMode;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.executor.service.providers.ProvidedModules;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleRegistry;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.S3Config;
import dev.cidra.registry.S3Connection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Produces the node's one S3 client, module registry and {@link WasmRuntime}, each closed at shutdown in reverse order.
 * Logs a warning at startup when the runtime has no Graal JIT. Meters the two module caches ({@value #CACHE_REQUESTS},
 * {@value #CACHE_EVICTIONS}, {@value #CACHE_SIZE}, tag {@code cache}: {@code registry} for the registry's memory tier
 * of module bytes, {@code linked} for the engine's linked modules), the pool of pre-instantiated contexts
 * ({@value #POOL_CALLS}, tag {@code context}: {@code pooled} or {@code own}; {@value #POOL_BYTES}) and the engine's
 * mode ({@value #MODE}). A module
 * fetch that fails because S3 is down is reported to the {@link S3Outage}.
 */
@Singleton
class EngineProducer {
    private static final Logger LOG = Logger.getLogger(EngineProducer.class);
    static final String CACHE_REQUESTS = "cidra.module.cache.requests";
    static final String CACHE_EVICTIONS = "cidra.module.cache.evictions";
    static final String CACHE_SIZE = "cidra.module.cache.size";
    static final String MODE = "cidra.engine.mode";
    static final String POOL_CALLS = "cidra.context.pool.calls";
    static final String POOL_BYTES = "cidra.context.pool.size";

    /**
     * @throws IllegalArgumentException if only one of the two static credentials keys is set
     */
    @Produces
    @Singleton
    S3Client s3Client(ExecutorConfig config) {
        S3Config s3 = config.s3();
        return S3Connection.of(s3).newClient();
    }

    void closeS3(@Disposes S3Client client) {
        client.close();
    }

    /**
     * Modules this node provides (read from its own directory first), then from the bucket the gateway writes, verified
     * against their CIDs and cached in memory.
     */
    @Produces
    @Singleton
    ModuleRegistry moduleRegistry(ExecutorConfig config, S3Client s3, MeterRegistry meters, ProvidedModules provided) {
        var registry = config.registry();
        var builder = ModuleRegistry.builder();
        provided.store().ifPresent(builder::store);
        var modules = builder.store(ContentStore.s3(s3, registry.bucket(), registry.keyPrefix()))
                .maxModuleBytes(registry.maxModuleBytes())
                .memoryCacheBytes(registry.memoryCacheBytes())
                .build();
        // Results of the registry's fetches: hit (memory), disk, store (a load from S3), failed.
        cacheRequests(meters, "registry", "hit", modules, m -> m.stats().memoryHits());
        cacheRequests(meters, "registry", "disk", modules, m -> m.stats().diskHits());
        cacheRequests(meters, "registry", "store", modules, m -> m.stats().storeFetches());
        cacheRequests(meters, "registry", "failed", modules, m -> m.stats().misses());
        cacheContent(meters, "registry", modules, m -> m.stats().evictions(), m -> m.stats()
                .memoryBytes());
        return modules;
    }

    void closeRegistry(@Disposes ModuleRegistry registry) {
        registry.close();
    }

    @Produces
    @Singleton
    WasmRuntime wasmRuntime(ExecutorConfig config, ModuleRegistry registry, MeterRegistry meters, S3Outage outage) {
        var runtime = WasmRuntime.builder()
                .contextPool(
                        config.execution().pooledContexts(), config.execution().poolBytes())
                .modules(cid -> {
                    try {
                        return registry.fetch(cid);
                    } catch (RegistryException e) {
                        outage.failed(S3Outage.NODE, "fetching a module", e);
                        throw e;
                    }
                })
                .build();
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
        cacheRequests(meters, "linked", "hit", runtime, r -> r.linkCacheStats().hits());
        cacheRequests(meters, "linked", "miss", runtime, r -> r.linkCacheStats().misses());
        cacheContent(meters, "linked", runtime, r -> r.linkCacheStats().evictions(), r -> r.linkCacheStats()
                .bytes());
        FunctionCounter.builder(POOL_CALLS, runtime, r -> r.contextPoolStats().hits())
                .description("Calls by whether they ran in a context instantiated ahead (pooled) or their own")
                .tag("context", "pooled")
                .register(meters);
        FunctionCounter.builder(POOL_CALLS, runtime, r -> r.contextPoolStats().misses())
                .description("Calls by whether they ran in a context instantiated ahead (pooled) or their own")
                .tag("context", "own")
                .register(meters);
        Gauge.builder(POOL_BYTES, runtime, r -> r.contextPoolStats().bytes())
                .description("Bytes the pooled contexts are charged (initial memories plus a per-context overhead)")
                .baseUnit(BaseUnits.BYTES)
                .register(meters);
        for (RuntimeMode mode : RuntimeMode.values()) {
            Gauge.builder(MODE, runtime, r -> r.mode() == mode ? 1 : 0)
                    .description("1 for the mode guest code runs in (compiled: Graal JIT; interpreted), 0 otherwise")
                    .tag("mode", MeterTag.of(mode))
                    .register(meters);
        }
        return runtime;
    }

    private static <T> void cacheRequests(
            MeterRegistry meters, String cache, String result, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(CACHE_REQUESTS, source, count)
                .description("Lookups in a module cache, by cache and result")
                .tags("cache", cache, "result", result)
                .register(meters);
    }

    private static <T> void cacheContent(
            MeterRegistry meters, String cache, T source, ToDoubleFunction<T> evictions, ToDoubleFunction<T> bytes) {
        FunctionCounter.builder(CACHE_EVICTIONS, source, evictions)
                .description("Entries evicted from a module cache to keep it within its byte bound")
                .tag("cache", cache)
                .register(meters);
        Gauge.builder(CACHE_SIZE, source, bytes)
                .description("Bytes of modules a module cache holds")
                .tag("cache", cache)
                .baseUnit(BaseUnits.BYTES)
                .register(meters);
    }

    void closeRuntime(@Disposes WasmRuntime runtime) {
        runtime.close();
    }
}
