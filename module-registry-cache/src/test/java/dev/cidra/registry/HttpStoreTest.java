package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cidra.registry.testing.TestContent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpStoreTest {
    private static final long ENDLESS_BODY_CAP = 256L * 1024 * 1024;

    private final byte[] content = TestContent.random(20_000, 3);
    private final Cid cid = Cid.rawOf(content);
    private final Map<String, byte[]> modules = new ConcurrentHashMap<>();
    /** Released after each test so that stalled handlers end. */
    private final CountDownLatch release = new CountDownLatch(1);
    /** Bytes the endless handler wrote before the client went away. */
    private final CompletableFuture<Long> endlessWritten = new CompletableFuture<>();

    private HttpServer server;
    private ExecutorService serverThreads;
    private HttpClient client;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(serverThreads);
        server.createContext("/modules/", this::serveModule);
        server.createContext("/status/500/", exchange -> respond(exchange, 500, new byte[0]));
        server.createContext("/declares-1gib/", this::declareHugeLengthThenStall);
        server.createContext("/endless/", this::streamEndlessly);
        server.createContext("/no-answer/", this::stall);
        server.createContext("/stalls-mid-body/", this::stallMidBody);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        client.close();
        server.stop(0);
        serverThreads.close();
    }

    private ContentStore store(String path) {
        return ContentStore.http(base + path, client);
    }

    @Test
    void servesTheModuleAtTheTemplateUri() {
        modules.put(cid.toString(), content);

        assertArrayEquals(content, store("/modules/{cid}").fetch(cid, 1 << 20).orElseThrow());
    }

    @Test
    void notFoundIsEmpty() {
        assertEquals(Optional.empty(), store("/modules/{cid}").fetch(cid, 1 << 20));
    }

    @Test
    void otherStatusIsARegistryExceptionWithTheStatus() {
        var e = assertThrows(
                RegistryException.class, () -> store("/status/500/{cid}").fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertTrue(e.getMessage().contains(base + "/status/500/" + cid), e.getMessage());
    }

    @Test
    void wrongBytesAreAMismatch() {
        modules.put(cid.toString(), TestContent.random(20_000, 4));

        var e = assertThrows(
                ContentMismatchException.class, () -> store("/modules/{cid}").fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains(base + "/modules/" + cid), e.getMessage());
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        modules.put(cid.toString(), content);

        var e = assertThrows(
                ModuleTooLargeException.class, () -> store("/modules/{cid}").fetch(cid, content.length - 1));
        assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(" " + (content.length - 1) + " bytes"), e.getMessage());
    }

    @Test
    void declaredLengthOverTheLimitIsRejectedBeforeTheBodyArrives() {
        // The handler sends no body until the test ends: only the declared length can trigger the rejection.
        assertThrows(ModuleTooLargeException.class, () -> store("/declares-1gib/{cid}")
                .fetch(cid, 1 << 20));
    }

    @Test
    void endlessBodyStopsAtTheLimit() throws Exception {
        assertThrows(
                ModuleTooLargeException.class, () -> store("/endless/{cid}").fetch(cid, 100_000));

        // The client closed the connection: the server's writes failed long before the cap.
        long written = endlessWritten.get(20, TimeUnit.SECONDS);
        assertTrue(written < ENDLESS_BODY_CAP, "server wrote " + written + " bytes");
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        var store = new HttpStore(base + "/no-answer/{cid}", client, Duration.ofMillis(300));

        var e = assertThrows(RegistryException.class, () -> store.fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
    }

    @Test
    void bodyThatStallsTimesOut() {
        var store = new HttpStore(base + "/stalls-mid-body/{cid}", client, Duration.ofMillis(300));

        var e = assertThrows(RegistryException.class, () -> store.fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
    }

    @Test
    void unreachableServerIsARegistryExceptionNamingUriAndCid() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var store = ContentStore.http("http://127.0.0.1:" + closedPort + "/m/{cid}", client);

        var e = assertThrows(RegistryException.class, () -> store.fetch(cid, 1 << 20));
        assertFalse(e instanceof ModuleNotFoundException);
        assertTrue(e.getMessage().contains("http://127.0.0.1:" + closedPort + "/m/" + cid), e.getMessage());
    }

    @Test
    void rejectsTemplatesWithoutPlaceholderOrHttpScheme() {
        var noPlaceholder =
                assertThrows(IllegalArgumentException.class, () -> ContentStore.http(base + "/modules/", client));
        assertTrue(noPlaceholder.getMessage().contains("{cid}"), noPlaceholder.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContentStore.http("ftp://127.0.0.1/{cid}", client));
        assertThrows(IllegalArgumentException.class, () -> ContentStore.http("/modules/{cid}", client));
    }

    @Test
    void describesItselfByTheTemplate() {
        assertEquals(base + "/modules/{cid}", store("/modules/{cid}").describe());
    }

    private void serveModule(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/modules/".length());
        byte[] module = modules.get(name);
        respond(exchange, module == null ? 404 : 200, module == null ? new byte[0] : module);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void declareHugeLengthThenStall(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(200, 1L << 30);
            exchange.getResponseBody().flush();
            awaitRelease();
        }
    }

    private void streamEndlessly(HttpExchange exchange) {
        long written = 0;
        try (exchange) {
            exchange.sendResponseHeaders(200, 0); // chunked, no declared length
            OutputStream body = exchange.getResponseBody();
            byte[] chunk = new byte[64 * 1024];
            while (written < ENDLESS_BODY_CAP) {
                body.write(chunk);
                body.flush();
                written += chunk.length;
            }
        } catch (IOException clientWentAway) {
            // Expected: the client stopped reading at its limit.
        }
        endlessWritten.complete(written);
    }

    private void stall(HttpExchange exchange) {
        try (exchange) {
            awaitRelease();
        }
    }

    private void stallMidBody(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            awaitRelease();
        }
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
