package dev.cidra.executor.service.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The wall {@link Clock} (UTC) the executor reads, as a bean so that tests can replace it. */
@Singleton
class TimeSources {
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
