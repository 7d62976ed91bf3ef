package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLParameters;

/**
 * The gateway's HTTP API as the commands use it. Every refusal becomes a {@link GatewayException} whose message is the
 * problem's {@code detail} verbatim (RFC 9457), else the status and the start of the body; an unreachable gateway
 * becomes one that says so and how to point the CLI elsewhere. Thread-safe: requests may be sent from any thread, at
 * once.
 */
public final class Gateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int BODY_EXCERPT_CHARS = 300;

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http;

    /** A client of the gateway at {@code base} that sends {@code token} as {@code Authorization: Bearer}, if any. */
    public Gateway(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
        // HTTP/1.1: with the default, HTTP/2, the client offers a plain-HTTP server an upgrade (h2c) and loads the
        // HTTP/2 and HPACK classes for it; a command's few sequential requests gain nothing from HTTP/2.
        HttpClient.Builder http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if ("http".equalsIgnoreCase(base.getScheme())) {
            http.sslContext(new NoTls()).sslParameters(new SSLParameters());
        }
        this.http = http.build();
    }

    /** A request to {@code path} (with its query, if any) of the gateway, with the caller's token. */
    public HttpRequest.Builder request(String path) {
        String prefix = base.toString().replaceAll("/+$", "");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(prefix + path)).timeout(REQUEST_TIMEOUT);
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return request;
    }

    /** {@code segment} encoded for a path. */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GETs {@code path} and reads the JSON answer (200). */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(send(request(path).GET(), HttpResponse.BodyHandlers.ofByteArray(), 200)
                .body());
    }

    /** GETs {@code path}: its JSON answer, or empty if the gateway answers 404. */
    Optional<JsonNode> findJson(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = exchange(request(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(expect(response, response.body(), 200).body()));
    }

    /** HEADs {@code path}: true if the gateway answers 200, false if 404. */
    boolean exists(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = exchange(
                request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode() != 404
                && expect(response, response.body(), 200).statusCode() == 200;
    }

    /** Sends a request with a JSON answer expected with one of {@code statuses}. */
    JsonNode sendJson(HttpRequest.Builder request, int... statuses) throws IOException, InterruptedException {
        return JSON.readTree(
                send(request, HttpResponse.BodyHandlers.ofByteArray(), statuses).body());
    }

    /** Sends a request whose answer is streamed: the caller closes the body. */
    HttpResponse<InputStream> open(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 << 10);
            }
            expect(response, body, 200);
        }
        return response;
    }

    /** Sends a request whose answer is expected with one of {@code statuses}. */
    public HttpResponse<byte[]> send(
            HttpRequest.Builder request, HttpResponse.BodyHandler<byte[]> handler, int... statuses)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = exchange(request, handler);
        return expect(response, response.body(), statuses);
    }

    /**
     * Sends a request without waiting for its answer, which is expected with one of {@code statuses}: the future fails
     * with a {@link GatewayException} saying what the gateway answered otherwise, or with the I/O failure.
     */
    public CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest.Builder request, int... statuses) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> expect(response, response.body(), statuses));
    }

    /** Uploads a module ({@code POST /v1/modules}, answered 201 when new, 200 when stored already): its CID. */
    public String upload(byte[] module) throws IOException, InterruptedException {
        JsonNode answer = sendJson(
                request("/v1/modules")
                        .header("Content-Type", "application/wasm")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(module)),
                201,
                200);
        JsonNode cid = answer.get("cid");
        if (cid == null || !cid.isTextual()) {
            throw new GatewayException("POST /v1/modules of " + base + " answered without a cid: " + answer);
        }
        return cid.asText();
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest built = request.build();
        try {
            return http.send(built, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof ConnectException) {
                throw unreachable(e);
            }
            throw new GatewayException(built.method() + " " + built.uri() + " failed: " + message(e), e);
        }
    }

    private GatewayException unreachable(IOException e) {
        return new GatewayException(
                "cannot reach the gateway at " + base + " (is `./cidra up` running? set CIDRA_API)", e);
    }

    private static <T> HttpResponse<T> expect(HttpResponse<T> response, byte[] body, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new GatewayException(refusal(response, body));
    }

    /** The problem's detail, else what the gateway answered. */
    private static String refusal(HttpResponse<?> response, byte[] body) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/problem+json")) {
            try {
                JsonNode detail = JSON.readTree(body).get("detail");
                if (detail != null && detail.isTextual() && !detail.asText().isBlank()) {
                    return detail.asText();
                }
            } catch (IOException e) {
                // Not a readable problem: described below like any other body.
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.length() > BODY_EXCERPT_CHARS) {
            text = text.substring(0, BODY_EXCERPT_CHARS) + "...";
        }
        var request = response.request();
        return request.method() + " " + request.uri() + " answered " + response.statusCode()
                + (text.isEmpty() ? "" : ": " + text);
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        http.close();
    }
}
