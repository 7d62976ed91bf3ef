package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A node that is not ready yet because of its engine warm-up says how far the warm-up is. */
class HttpReadinessTest {
    private static final String WARMING = """
            {
                "status": "DOWN",
                "checks": [
                    {"name": "kafka", "status": "UP"},
                    {"name": "engine-warmup", "status": "DOWN", "data": {"done": 1, "rounds": 3}}
                ]
            }""";

    @Test
    void aWarmingNodeIsNotReadyAndGivesItsProgress() throws Exception {
        var body = new AtomicReference<>(WARMING);
        var status = new AtomicReference<>(503);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/health/ready", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try (var readiness = new HttpReadiness(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()))) {
            assertNull(readiness.progress());
            assertThrows(IOException.class, readiness::check);
            assertEquals("warm-up 1/3", readiness.progress());
            body.set(WARMING.replace("\"done\": 1", "\"done\": 3").replace("DOWN", "UP"));
            status.set(200);
            readiness.check();
        } finally {
            server.stop(0);
        }
    }
}
