package dev.cidra.cli.platform;

import dev.cidra.cli.api.Gateway;
import dev.cidra.cli.api.GatewayException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
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
     * @throws GatewayException if the module cannot be uploaded
     */
    void run(PrintWriter err) throws IOException, InterruptedException {
        if (calls == 0) {
            return;
        }
        err.print("request path: warming up with " + calls + " calls ... ");
        err.flush();
        long start = System.nanoTime();
        List<Gateway> clients = gateways.stream()
                .map(uri -> new Gateway(uri, Optional.of(token)))
                .toList();
        boolean done = false;
        try {
            String cid = clients.getFirst().upload(DemoCommand.wordcount());
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
                Gateway gateway = clients.get(call % clients.size());
                gateway.sendAsync(invocation(gateway, cid), 200).whenComplete((response, error) -> {
                    String refusal = error != null ? message(error) : refusal(response);
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
            clients.forEach(Gateway::close);
            if (!done) {
                err.println("failed");
            }
        }
    }

    private static HttpRequest.Builder invocation(Gateway gateway, String cid) {
        return gateway.request("/v1/functions/" + cid + "/invoke")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(STDIN));
    }

    /** Why a 200 answer is not a good one (its exit code is not 0), or null if it is one. */
    private static String refusal(HttpResponse<byte[]> response) {
        String exit = response.headers().firstValue("Cidra-Exit-Code").orElse("none");
        return exit.equals("0")
                ? null
                : "POST " + response.request().uri().getPath() + " answered 200 with exit code " + exit;
    }

    /** What a failed call's future failed with: the gateway's refusal, or the I/O failure. */
    private static String message(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof GatewayException ? cause.getMessage() : cause.toString();
    }
}
