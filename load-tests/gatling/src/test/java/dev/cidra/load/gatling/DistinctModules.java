package dev.cidra.load.gatling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Distinct copies of one module, each with its own CID: the module's bytes with a custom section ("cidra-load", the
 * copy's number and {@code padBytes} zero bytes) appended. A custom section changes neither imports, exports nor
 * behaviour.
 */
final class DistinctModules {
    private static final Pattern CID = Pattern.compile("\"cid\"\\s*:\\s*\"([^\"]+)\"");
    private static final int IN_FLIGHT = 8;

    private DistinctModules() {}

    /**
     * Uploads {@code count} copies of {@code module} to the gateway ({@code POST /v1/modules}).
     *
     * @return their CIDs, copy 0 first
     * @throws IllegalStateException if an upload is not answered 200 or 201 with a CID
     */
    static List<String> upload(String gateway, Path module, int count, int padBytes) {
        byte[] original;
        try {
            original = Files.readAllBytes(module);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var http = HttpClient.newHttpClient();
        var slots = new Semaphore(IN_FLIGHT);
        var uploads = new ArrayList<CompletableFuture<String>>();
        URI uri = URI.create(gateway + "/v1/modules");
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            slots.acquireUninterruptibly();
            int copy = i;
            var request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + Config.token())
                    .header("Content-Type", "application/wasm")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(copy(original, copy, padBytes)))
                    .build();
            uploads.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> slots.release())
                    .thenApply(response -> cid(copy, response)));
        }
        List<String> cids = uploads.stream().map(CompletableFuture::join).toList();
        System.out.printf(
                "uploaded %d distinct modules (%d bytes each) in %.1f s%n",
                count, copy(original, 0, padBytes).length, (System.nanoTime() - start) / 1e9);
        return cids;
    }

    private static String cid(int copy, HttpResponse<String> response) {
        var match = CID.matcher(response.body());
        if ((response.statusCode() != 200 && response.statusCode() != 201) || !match.find()) {
            throw new IllegalStateException(
                    "upload of copy " + copy + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return match.group(1);
    }

    /** {@code module} with a custom section named "cidra-load" holding {@code number} and {@code padBytes} zeros. */
    static byte[] copy(byte[] module, int number, int padBytes) {
        byte[] name = "cidra-load".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
        var content = new ByteArrayOutputStream();
        leb128(content, name.length);
        content.writeBytes(name);
        content.writeBytes(payload);
        content.writeBytes(new byte[padBytes]);
        var out = new ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0);
        leb128(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }
}
