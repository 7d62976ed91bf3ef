package dev.cidra.registry.testing;

import dev.cidra.registry.ModuleBucketConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The services' S3 for {@code @QuarkusTest}s: starts an in-memory {@link S3ProxyServer} with the module bucket
 * {@link #BUCKET} and points {@code cidra.s3.*} and {@code cidra.registry.bucket} at it; stops it after the tests.
 */
public final class S3ProxyResource implements QuarkusTestResourceLifecycleManager {
    /** The module bucket, created before the application starts. */
    public static final String BUCKET = ModuleBucketConfig.DEFAULT_BUCKET;

    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = S3ProxyServer.inMemory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createBucket(BUCKET);
        return Map.of(
                "cidra.s3.endpoint", server.endpoint().toString(),
                "cidra.s3.access-key-id", server.accessKey(),
                "cidra.s3.secret-access-key", server.secretKey(),
                "cidra.registry.bucket", BUCKET);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
