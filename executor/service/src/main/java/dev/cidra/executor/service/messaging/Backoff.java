package dev.cidra.executor.service.messaging;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with jitter: the wait after failed attempt {@code n} (from 1) is drawn uniformly from
 * {@code [d/2, d]}, where {@code d = min(max, first * 2^(n-1))}. Half of each wait is fixed, so a retry never comes at
 * once; the other half is random, so that nodes failing together do not retry together. Thread-safe if the random
 * generator is.
 */
record Backoff(int maxAttempts, Duration first, Duration max, RandomGenerator random) {
    /**
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1, or {@code first} is not positive or above
     *     {@code max}
     */
    Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "cidra.jobs.max-infrastructure-attempts must be at least 1, not " + maxAttempts);
        }
        if (first.isNegative() || first.isZero() || first.compareTo(max) > 0) {
            throw new IllegalArgumentException("cidra.jobs.retry-backoff must be positive and at most"
                    + " cidra.jobs.retry-backoff-max (" + max + "), not " + first);
        }
    }

    /** The wait after failed attempt {@code attempt} (from 1) and before the next. */
    Duration after(int attempt) {
        long cap = max.toNanos();
        long ceiling = attempt - 1 >= Long.numberOfLeadingZeros(first.toNanos()) - 1
                ? cap
                : Math.min(cap, first.toNanos() << (attempt - 1));
        long half = ceiling / 2;
        return Duration.ofNanos(half + random.nextLong(ceiling - half + 1));
    }
}
