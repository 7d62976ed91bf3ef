package dev.cidra.bench;

import java.util.Arrays;

/** A growable series of durations in nanoseconds, with order statistics. Not thread-safe. */
final class Samples {
    private long[] values = new long[1 << 12];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /**
     * The {@code p}-th percentile (nearest rank), in nanoseconds.
     *
     * @throws IllegalStateException if there are no samples
     */
    long percentile(double p) {
        long[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    /** The mean, in nanoseconds. */
    double mean() {
        return Arrays.stream(values, 0, nonEmpty()).average().orElseThrow();
    }

    private long[] sorted() {
        long[] sorted = Arrays.copyOf(values, nonEmpty());
        Arrays.sort(sorted);
        return sorted;
    }

    private int nonEmpty() {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        return size;
    }
}
