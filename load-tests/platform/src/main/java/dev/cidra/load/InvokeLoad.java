package dev.cidra.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls {@code POST /v1/functions/{cid}/invoke} on a running gateway and reports latency percentiles and throughput.
 *
 * <pre>
 *   InvokeLoad GATEWAY-URL CID rate=200 seconds=30 warmup=10          open loop: 200 requests/s
 *   InvokeLoad GATEWAY-URL CID concurrency=32 seconds=20 warmup=10    closed loop: 32 calls in flight, as fast as it can
 *   InvokeLoad GATEWAY-URL CID concurrency=1 requests=500 warmup=0    closed loop: the first 500 calls, one at a time
 * </pre>
 *
 * <p>Open loop: request i is due at {@code start + i / rate}; its latency is measured from when it was due, not from
 * when it was sent, so a stalled system is charged for the requests it delayed (no coordinated omission). A response
 * other than 200 counts as an error, by status. One summary line per phase goes to stdout.
 */
public final class InvokeLoad {
    private final HttpClient http;
    private final HttpRequest request;

    private InvokeLoad(URI gateway, String cid) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        this.request = HttpRequest.newBuilder(gateway.resolve("/v1/functions/" + cid + "/invoke"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + System.getenv().getOrDefault("CIDRA_TOKEN", ""))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println(
                    "usage: InvokeLoad GATEWAY-URL CID (rate=N | concurrency=N [requests=N]) [seconds=30] [warmup=10]");
            System.exit(2);
        }
        Map<String, String> options = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            if (pair.length != 2) {
                System.err.println("InvokeLoad: expected NAME=VALUE, not " + args[i]);
                System.exit(2);
            }
            options.put(pair[0], pair[1]);
        }
        var load = new InvokeLoad(URI.create(args[0]), args[1]);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        if (options.containsKey("rate")) {
            int rate = Integer.parseInt(options.get("rate"));
            if (warmup > 0) {
                load.openLoop(rate, warmup).print("warmup rate=" + rate);
            }
            load.openLoop(rate, seconds).print("measure rate=" + rate);
        } else {
            int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
            long requests = Long.parseLong(options.getOrDefault("requests", Long.toString(Long.MAX_VALUE)));
            if (warmup > 0) {
                load.closedLoop(concurrency, warmup, Long.MAX_VALUE).print("warmup concurrency=" + concurrency);
            }
            load.closedLoop(concurrency, seconds, requests).print("measure concurrency=" + concurrency);
        }
    }

    private Result openLoop(int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        var errors = new ConcurrentHashMap<String, AtomicLong>();
        var calls = new ArrayList<CompletableFuture<?>>(total);
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        latencies[index] = System.nanoTime() - due;
                        count(errors, response, failure);
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        return new Result(latencies, System.nanoTime() - start, errors);
    }

    /** As many calls as {@code concurrency} allows for {@code seconds}, or until {@code requests} were sent. */
    private Result closedLoop(int concurrency, int seconds, long requests) throws InterruptedException {
        var latencies = new ArrayList<Long>();
        var errors = new ConcurrentHashMap<String, AtomicLong>();
        var inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long sentCount = 0; sentCount < requests && System.nanoTime() < end; sentCount++) {
            inFlight.acquire();
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                long latency = System.nanoTime() - sent;
                synchronized (latencies) {
                    latencies.add(latency);
                }
                count(errors, response, failure);
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        long elapsed = System.nanoTime() - start;
        synchronized (latencies) {
            return new Result(latencies.stream().mapToLong(Long::longValue).toArray(), elapsed, errors);
        }
    }

    private static void count(Map<String, AtomicLong> errors, HttpResponse<?> response, Throwable failure) {
        String error = failure != null
                ? failure.getClass().getSimpleName()
                : response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
        if (error != null) {
            errors.computeIfAbsent(error, e -> new AtomicLong()).incrementAndGet();
        }
    }

    private record Result(long[] latencies, long elapsedNanos, Map<String, AtomicLong> errors) {
        void print(String phase) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            var parts = new ArrayList<>(List.of(
                    phase,
                    "requests=" + sorted.length,
                    String.format("throughput=%.0f/s", sorted.length * 1e9 / elapsedNanos),
                    "p50=" + millis(sorted, 0.50),
                    "p90=" + millis(sorted, 0.90),
                    "p99=" + millis(sorted, 0.99),
                    "p99.9=" + millis(sorted, 0.999),
                    "max=" + millis(sorted, 1.0),
                    "errors=" + new TreeMap<>(errors)));
            System.out.println(String.join(" ", parts));
        }

        private static String millis(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return "-";
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
            return String.format("%.2fms", sorted[Math.max(0, index)] / 1e6);
        }
    }
}
