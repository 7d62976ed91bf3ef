package dev.cidra.executor.service;

import dev.cidra.registry.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts an in-memory S3Proxy with the module bucket and points {@code cidra.s3.*} at it. */
public final class S3ProxyResource implements QuarkusTestResourceLifecycleManager {
    static final String BUCKET = "cidra-modules";

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
