package dev.cidra.load.gatling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latencies of an open-model load, by the level of arrival rate each call started in (one level for a constant rate).
 * Thread-safe. {@link #write} writes one CSV line
 * per level: {@code offered_per_s,started,ok,errors,ok_per_s,p50_ms,p95_ms,p99_ms,max_ms}, the percentiles over the
 * calls that succeeded (nearest rank), {@code ok_per_s} their count over the level's duration.
 */
final class Levels {
    private final int from;
    private final int step;
    private final long levelNanos;
    private final Path file;
    private final List<List<Integer>> millis = new ArrayList<>();
    private final int[] errors;
    private final AtomicLong start = new AtomicLong();

    Levels(int from, int step, int count, Duration level, Path file) {
        this.from = from;
        this.step = step;
        this.levelNanos = level.toNanos();
        this.file = file;
        this.errors = new int[count];
        for (int i = 0; i < count; i++) {
            millis.add(new ArrayList<>());
        }
    }

    /**
     * A call starts now: its {@link System#nanoTime()}. The first call's start is the start of level 0, since Gatling
     * starts the injection profile with the first user.
     */
    long begin() {
        long now = System.nanoTime();
        start.compareAndSet(0, now);
        return now;
    }

    /** A call that {@link #begin} started at {@code startNanos} took {@code callMillis} (negative: no response). */
    synchronized void record(long startNanos, int callMillis, boolean failed) {
        int level = (int) Math.min(errors.length - 1, Math.max(0, (startNanos - start.get()) / levelNanos));
        if (failed || callMillis < 0) {
            errors[level]++;
        } else {
            millis.get(level).add(callMillis);
        }
    }

    synchronized void write() {
        var lines = new ArrayList<String>();
        lines.add("offered_per_s,started,ok,errors,ok_per_s,p50_ms,p95_ms,p99_ms,max_ms");
        double seconds = levelNanos / 1e9;
        for (int i = 0; i < errors.length; i++) {
            int[] sorted =
                    millis.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
            lines.add(String.join(
                    ",",
                    Integer.toString(from + i * step),
                    Integer.toString(sorted.length + errors[i]),
                    Integer.toString(sorted.length),
                    Integer.toString(errors[i]),
                    String.format("%.0f", sorted.length / seconds),
                    rank(sorted, 0.50),
                    rank(sorted, 0.95),
                    rank(sorted, 0.99),
                    sorted.length == 0 ? "" : Integer.toString(sorted[sorted.length - 1])));
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lines.forEach(System.out::println);
    }

    private static String rank(int[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "";
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return Integer.toString(sorted[Math.max(0, index)]);
    }
}
