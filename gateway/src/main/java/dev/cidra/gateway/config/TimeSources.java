package dev.cidra.gateway.config;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The time sources the gateway reads, as beans so that tests can replace them: the wall {@link Clock} (UTC) for
 * timestamps and the monotonic {@link Ticker} for rates and cache expiry.
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
