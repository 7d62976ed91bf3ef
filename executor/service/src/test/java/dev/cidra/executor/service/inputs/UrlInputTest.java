package dev.cidra.executor.service.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cidra.executor.service.execution.DiskBudget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlInputTest {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    private HttpServer web;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/data.txt", exchange -> {
            byte[] body = "data\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.createContext("/hop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/data.txt");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        web.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        web.start();
        base = "http://127.0.0.1:" + web.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        web.stop(0);
    }

    private static UrlInput input(boolean allowPrivate) {
        return new UrlInput(CLIENT, 1 << 20, Duration.ofSeconds(5), allowPrivate);
    }

    @Test
    void aLoopbackUrlIsRefusedUnlessAllowed() {
        var e = assertThrows(
                InputException.class, () -> input(false).fetch(base + "/data.txt", dir, new DiskBudget(1 << 20)));
        assertEquals(
                "URL " + base + "/data.txt reaches 127.0.0.1, a loopback, link-local or private address; not allowed"
                        + " (cidra.inputs.allow-private-urls)",
                e.getMessage());
    }

    @Test
    void redirectsAreFollowedAndEveryHopIsChecked() throws Exception {
        input(true).fetch(base + "/hop", dir, new DiskBudget(1 << 20));
        assertEquals("data\n", Files.readString(dir.resolve("hop")));

        var e = assertThrows(
                InputException.class, () -> input(true).fetch(base + "/loop", dir, new DiskBudget(1 << 20)));
        assertTrue(e.getMessage().endsWith("redirects more than " + UrlInput.MAX_REDIRECTS + " times"), e.getMessage());
    }
}
