package dev.cidra.gateway.service;

import dev.cidra.contract.MeterTag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A counter and a timer of one operation, tagged {@code outcome} with the {@link MeterTag} of each constant of {@code E}, every series
 * registered at once so that each exists from zero. Thread-safe.
 */
final class OutcomeMeters<E extends Enum<E>> {
    private final MeterRegistry meters;
    private final Map<E, Counter> counters;
    private final Map<E, Timer> timers;

    OutcomeMeters(MeterRegistry meters, Class<E> outcomes, String counter, String timer, String description) {
        this.meters = meters;
        this.counters = new EnumMap<>(outcomes);
        this.timers = new EnumMap<>(outcomes);
        for (E outcome : outcomes.getEnumConstants()) {
            String tag = MeterTag.of(outcome);
            counters.put(
                    outcome,
                    Counter.builder(counter)
                            .description(description + " by outcome")
                            .tag("outcome", tag)
                            .register(meters));
            timers.put(
                    outcome,
                    Timer.builder(timer)
                            .description("Time of " + description.toLowerCase(Locale.ROOT) + " by outcome")
                            .tag("outcome", tag)
                            .register(meters));
        }
    }

    /** Starts timing one operation. */
    Timer.Sample start() {
        return Timer.start(meters);
    }

    /** Counts the operation {@code sample} timed and records its time, under {@code outcome}. */
    void record(Timer.Sample sample, E outcome) {
        counters.get(outcome).increment();
        sample.stop(timers.get(outcome));
    }
}
