package dev.cidra.executor.service.config;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The time sources the executor reads, as beans so that tests can replace them: the wall {@link Clock} (UTC) for
 * event times and record ages, and the monotonic {@link Ticker} for durations. Nothing else in the executor service
 * reads the time.
 */
@Singleton
class TimeSources {
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    Ticker ticker() {
        return Ticker.systemTicker();
    }
}
