package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RequestPathWarmup} against stand-in gateways that count what they are sent. */
class RequestPathWarmupTest {
    private static final String TOKEN = "test-token";

    private final List<HttpServer> servers = new ArrayList<>();

    /** A stand-in gateway and the uploads and calls it was sent. */
    private record Gateway(URI uri, AtomicInteger uploads, AtomicInteger calls) {}

    /**
     * A gateway that stores any module as CID "bafy-warm" and answers the first {@code good} calls 200, exit 0, and
     * the rest {@code badStatus}, exit 134.
     */
    private Gateway gateway(int good, int badStatus) throws IOException {
        var uploads = new AtomicInteger();
        var calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/modules", exchange -> {
            uploads.incrementAndGet();
            answer(exchange, authorized(exchange) ? 201 : 401, "{\"cid\":\"bafy-warm\"}", "0");
        });
        server.createContext("/v1/functions/bafy-warm/invoke", exchange -> {
            int call = calls.incrementAndGet();
            String stdin = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!authorized(exchange) || stdin.isEmpty()) {
                answer(exchange, 401, "{\"detail\":\"no token or no stdin\"}", "none");
            } else if (call <= good) {
                answer(exchange, 200, "1 5 25\n", "0");
            } else {
                answer(exchange, badStatus, "{\"detail\":\"the guest trapped\"}", "134");
            }
        });
        server.start();
        servers.add(server);
        return new Gateway(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), uploads, calls);
    }

    private static boolean authorized(HttpExchange exchange) {
        return ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static void answer(HttpExchange exchange, int status, String body, String exitCode) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Cidra-Exit-Code", exitCode);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void makesEveryCallOnceSpreadEvenlyOverTheGatewaysAndSaysSo() throws Exception {
        Gateway first = gateway(Integer.MAX_VALUE, 502);
        Gateway second = gateway(Integer.MAX_VALUE, 502);
        var err = new StringWriter();

        new RequestPathWarmup(List.of(first.uri(), second.uri()), TOKEN, 300).run(new PrintWriter(err, true));

        assertEquals(1, first.uploads().get() + second.uploads().get());
        assertEquals(150, first.calls().get());
        assertEquals(150, second.calls().get());
        assertTrue(err.toString().startsWith("request path: warming up with 300 calls ... "), err.toString());
        assertTrue(err.toString().strip().matches("(?s).* warm in \\d+ ms \\(\\d+ calls/s\\)"), err.toString());
    }

    @Test
    void theFirstBadAnswerStopsItAndIsNamed() throws Exception {
        Gateway gateway = gateway(40, 502);
        var err = new StringWriter();
        var warmup = new RequestPathWarmup(List.of(gateway.uri()), TOKEN, 10_000);

        var stopped = assertThrows(IllegalStateException.class, () -> warmup.run(new PrintWriter(err, true)));

        assertTrue(
                stopped.getMessage()
                        .contains("/v1/functions/bafy-warm/invoke answered 502: {\"detail\":\"the guest trapped\"}"),
                stopped.getMessage());
        assertTrue(stopped.getMessage().startsWith("the request-path warm-up stopped after "), stopped.getMessage());
        assertTrue(
                gateway.calls().get() <= 40 + RequestPathWarmup.IN_FLIGHT,
                "no call starts after the first bad answer: " + gateway.calls().get());
        assertTrue(err.toString().strip().endsWith("failed"), err.toString());
    }

    @Test
    void anAnswerWithAnExitCodeOtherThanZeroStopsIt() throws Exception {
        Gateway gateway = gateway(10, 200);
        var warmup = new RequestPathWarmup(List.of(gateway.uri()), TOKEN, 1_000);

        var stopped = assertThrows(IllegalStateException.class, () -> warmup.run(new PrintWriter(new StringWriter())));

        assertTrue(
                stopped.getMessage().endsWith("POST /v1/functions/bafy-warm/invoke answered 200 with exit code 134"),
                stopped.getMessage());
    }

    @Test
    void noCallsMakesNoRequest() throws Exception {
        Gateway gateway = gateway(Integer.MAX_VALUE, 502);
        var err = new StringWriter();

        new RequestPathWarmup(List.of(gateway.uri()), TOKEN, 0).run(new PrintWriter(err, true));

        assertEquals(0, gateway.uploads().get() + gateway.calls().get());
        assertEquals("", err.toString());
    }
}
