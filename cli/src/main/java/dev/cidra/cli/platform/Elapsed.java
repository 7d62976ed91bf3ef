package dev.cidra.cli.platform;

import java.util.concurrent.TimeUnit;

/** Elapsed time for progress lines ("ready in 812 ms"). */
final class Elapsed {
    private Elapsed() {}

    /** Milliseconds since {@code nanoTime}, a {@link System#nanoTime()} reading. */
    static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
