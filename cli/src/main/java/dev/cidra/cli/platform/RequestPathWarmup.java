package dev.cidra.cli.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Warms the whole request path of a freshly started platform before {@code cidra up} says it is up: the gateways' HTTP
 * stack, their Kafka producers and reply readers, the broker, and the executors' request path, none of which the
 * executors' own engine warm-up reaches (BENCHMARKS.md, "Which part of a fresh platform is cold"). It uploads the
 * bundled wordcount module and calls it synchronously, our code with our data (never a user's), {@value #IN_FLIGHT}
 * calls at a time spread over the gateways. The calls are the admin tenant's, so they count in its metrics like any
 * other. Not thread-safe: one {@link #run} at a time.
 */
final class RequestPathWarmup {
    /** The calls {@code cidra up} makes unless {@code --warm-up-calls} says otherwise. */
    static final int DEFAULT_CALLS = 20_000;

    /** Calls in flight at once: enough to keep both cores of a small machine busy compiling. */
    static final int IN_FLIGHT = 16;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String STDIN = "warm up the request path\n";

    private final List<URI> gateways;
    private final String token;
    private final int calls;

    /**
     * @param gateways the gateways' base URLs, each taking an equal share of the calls
     * @param token the admin API key the calls send
     * @param calls how many calls to make, at least 0
     */
    RequestPathWarmup(List<URI> gateways, String token, int calls) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("a warm-up needs a gateway");
        }
        this.gateways = List.copyOf(gateways);
        this.token = token;
        this.calls = calls;
    }

    /**
     * Makes the calls, printing one line to {@code err} that grows by the count at each tenth.
     *
     * @throws IllegalStateException at the first call not answered 200 with exit code 0, naming its answer; the calls
     *     in flight are waited for, none are started after it
     * @throws IOException if the module cannot be uploaded
     */
    void run(PrintWriter err) throws IOException, InterruptedException {
        if (calls == 0) {
            return;
        }
        err.print("request path: warming up with " + calls + " calls ... ");
        err.flush();
        long start = System.nanoTime();
        boolean done = false;
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build()) {
            String cid = upload(http);
            var slots = new Semaphore(IN_FLIGHT);
            var answered = new AtomicInteger();
            var failure = new AtomicReference<String>();
            int shown = 0;
            for (int call = 0; call < calls; call++) {
                slots.acquire();
                if (failure.get() != null) {
                    slots.release();
                    break;
                }
                URI gateway = gateways.get(call % gateways.size());
                http.sendAsync(invocation(gateway, cid), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, error) -> {
                            String refusal =
                                    error != null ? "call to " + gateway + " failed: " + error : refusal(response);
                            if (refusal != null) {
                                failure.compareAndSet(null, refusal);
                            }
                            answered.incrementAndGet();
                            slots.release();
                        });
                int tenth = answered.get() * 10 / calls;
                if (tenth > shown && tenth < 10) {
                    shown = tenth;
                    err.print(answered.get() + " ... ");
                    err.flush();
                }
            }
            slots.acquire(IN_FLIGHT);
            if (failure.get() != null) {
                throw new IllegalStateException("the request-path warm-up stopped after " + answered.get()
                        + " calls; the platform is running, see its logs: " + failure.get());
            }
            long millis = Elapsed.millisSince(start);
            err.println("warm in " + millis + " ms (" + calls * 1000L / Math.max(1, millis) + " calls/s)");
            done = true;
        } finally {
            if (!done) {
                err.println("failed");
            }
        }
    }

    private String upload(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                authorized(gateways.getFirst().resolve("/v1/modules"))
                        .header("Content-Type", "application/wasm")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(DemoCommand.wordcount()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException("the request-path warm-up could not upload its module: POST /v1/modules"
                    + " answered " + response.statusCode() + ": " + excerpt(response.body()));
        }
        return new ObjectMapper().readTree(response.body()).path("cid").asText();
    }

    private HttpRequest invocation(URI gateway, String cid) {
        return authorized(gateway.resolve("/v1/functions/" + cid + "/invoke"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(STDIN))
                .build();
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT).header("Authorization", "Bearer " + token);
    }

    /** Why {@code response} is not a good answer, or null if it is one. */
    private static String refusal(HttpResponse<String> response) {
        String exit = response.headers().firstValue("Cidra-Exit-Code").orElse("none");
        if (response.statusCode() == 200 && exit.equals("0")) {
            return null;
        }
        return response.request().method() + " " + response.request().uri().getPath() + " answered "
                + response.statusCode() + " (exit code " + exit + "): " + excerpt(response.body());
    }

    private static String excerpt(String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
