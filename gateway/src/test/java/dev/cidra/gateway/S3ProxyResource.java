package dev.cidra.gateway;

import dev.cidra.registry.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts an in-memory S3Proxy for the application under test and points {@code cidra.s3.*} at it. */
public final class S3ProxyResource implements QuarkusTestResourceLifecycleManager {
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = S3ProxyServer.inMemory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "cidra.s3.endpoint", server.endpoint().toString(),
                "cidra.s3.access-key-id", server.accessKey(),
                "cidra.s3.secret-access-key", server.secretKey());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
