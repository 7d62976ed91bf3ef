package dev.cidra.gateway.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Chooses the record key of an invocation so that a module's calls share an executor (whose cache holds the module)
 * until the module is hot. Below {@code threshold} requests per second for a CID the key is the CID; above it, the
 * calls rotate over {@code cid#0 .. cid#(n-1)} with {@code n = ceil(rate / threshold)}, at most {@code maxSpread} (the
 * topic's partitions), so a hot module is spread over several partitions and executors.
 *
 * <p>The rate of a CID is estimated over a sliding one-second window: the previous second's count weighted by the part
 * of it still inside the window, plus the current second's. Time comes from the {@link Ticker}. CIDs not seen for a
 * minute are forgotten. Thread-safe.
 */
public final class HotKeys {
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private final double threshold;
    private final int maxSpread;
    private final Ticker ticker;
    private final Cache<String, Rate> rates;

    /**
     * @param threshold requests per second for one CID above which its keys spread; positive
     * @param maxSpread the most keys one CID spreads over; at least 1
     * @throws IllegalArgumentException if either is out of range
     */
    public HotKeys(double threshold, int maxSpread, Ticker ticker) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("cidra.invocations.hot-key-rate must be positive, not " + threshold);
        }
        if (maxSpread < 1) {
            throw new IllegalArgumentException("the spread of a hot key must be at least 1, not " + maxSpread);
        }
        this.threshold = threshold;
        this.maxSpread = maxSpread;
        this.ticker = ticker;
        this.rates = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(1))
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** Counts one request for {@code cid} and returns the key to publish it under. */
    public String keyFor(String cid) {
        Rate rate = rates.get(cid, unused -> new Rate(ticker.read()));
        long sequence;
        int spread;
        synchronized (rate) {
            double perSecond = rate.count(ticker.read());
            spread = perSecond <= threshold ? 1 : (int) Math.min(maxSpread, Math.ceil(perSecond / threshold));
            sequence = rate.sequence++;
        }
        return spread == 1 ? cid : cid + "#" + Math.floorMod(sequence, spread);
    }

    /** The estimated requests per second of {@code cid}, without counting one; 0 if unknown. */
    double rateOf(String cid) {
        Rate rate = rates.getIfPresent(cid);
        if (rate == null) {
            return 0;
        }
        synchronized (rate) {
            return rate.estimate(ticker.read());
        }
    }

    /** Counts of the current and the previous one-second window. Guarded by its own monitor. */
    private static final class Rate {
        private long windowStart;
        private long current;
        private long previous;
        private long sequence;

        Rate(long now) {
            this.windowStart = now;
        }

        /** Counts one request at {@code now} and returns the rate including it. */
        double count(long now) {
            advance(now);
            current++;
            return estimate(now);
        }

        double estimate(long now) {
            advance(now);
            double previousShare = 1.0 - (double) (now - windowStart) / WINDOW_NANOS;
            return previous * previousShare + current;
        }

        private void advance(long now) {
            long windows = (now - windowStart) / WINDOW_NANOS;
            if (windows >= 1) {
                previous = windows == 1 ? current : 0;
                current = 0;
                windowStart += windows * WINDOW_NANOS;
            }
        }
    }
}
