package dev.cidra.registry;

import io.smallrye.config.WithDefault;

/**
 * The module bucket's layout, under {@code cidra.registry}: the gateway writes a module to the object
 * {@code keyPrefix + cid} of {@code bucket}, and the executors read it from there ({@link ContentStore#s3}). Both
 * services map these keys (a SmallRye config group) and add their own.
 */
public interface ModuleBucketConfig {
    /** The default of {@link #bucket()}. */
    String DEFAULT_BUCKET = "cidra-modules";

    /** {@code cidra.registry.bucket}: the bucket that holds the modules. */
    @WithDefault(DEFAULT_BUCKET)
    String bucket();

    /**
     * {@code cidra.registry.key-prefix}: prepended to the CID to form a module's object key ({@code modules/bafk...}
     * by default).
     */
    @WithDefault("modules/")
    String keyPrefix();

    /**
     * {@code cidra.registry.max-module-bytes}: the largest module, in bytes (64 MiB by default): the gateway accepts
     * no larger upload, and no service reads back a larger object. Between 1 and 2147483631 (the largest content a
     * {@code ContentStore} fetches).
     */
    @WithDefault("67108864")
    long maxModuleBytes();
}
