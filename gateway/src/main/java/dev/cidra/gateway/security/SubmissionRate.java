package dev.cidra.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Each tenant's submission rate on this replica ({@link QuotaConfig#submissionsPerSecond()}): a token bucket per tenant
 * holding up to {@link QuotaConfig#submissionBurst()} tokens, refilled at the rate; a submission takes one. Buckets of
 * tenants idle for ten minutes are dropped (they would be full). Thread-safe.
 */
@Singleton
public class SubmissionRate {
    private final double perNano;
    private final double burst;
    private final Ticker ticker;
    private final Cache<String, Bucket> buckets;

    /** @throws IllegalArgumentException if the rate is not positive or the burst below 1 */
    SubmissionRate(QuotaConfig quotas, Ticker ticker) {
        double perSecond = quotas.submissionsPerSecond().orElse(Double.POSITIVE_INFINITY);
        if (!(perSecond > 0) || quotas.submissionBurst() < 1) {
            throw new IllegalArgumentException("cidra.quotas.submissions-per-second must be positive and"
                    + " cidra.quotas.submission-burst at least 1, not " + perSecond + " and "
                    + quotas.submissionBurst());
        }
        this.perNano = perSecond / 1e9;
        this.burst = quotas.submissionBurst();
        this.ticker = ticker;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(10))
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Takes one submission of {@code tenant}'s allowance.
     *
     * @throws TooManySubmissionsException if it has none left; nothing is taken
     */
    public void acquire(String tenant) {
        if (Double.isInfinite(perNano)) {
            return;
        }
        Bucket bucket = buckets.get(tenant, name -> new Bucket(burst, ticker.read()));
        long waitNanos;
        synchronized (bucket) {
            long now = ticker.read();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perNano);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return;
            }
            waitNanos = (long) Math.ceil((1 - bucket.tokens) / perNano);
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        throw new TooManySubmissionsException(
                seconds,
                "tenant " + tenant + " submitted more than " + (perNano * 1e9) + " jobs per second (burst "
                        + (long) burst + ", cidra.quotas.submissions-per-second); retry in " + seconds + " s");
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
