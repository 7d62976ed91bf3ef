package dev.cidra.executor.service.execution;

import dev.cidra.contract.MeterTag;
import dev.cidra.executor.InvocationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Latency histograms of the phases of the executor's work, one {@value #NAME} timer per kind of work and phase (tags
 * {@code kind} and {@code phase}, {@link MeterTag} values), each publishing its histogram buckets so that percentiles can be
 * computed across nodes. Thread-safe.
 */
@Singleton
public class PhaseTimers {
    static final String NAME = "cidra.phase.duration";

    /** What the executor was doing. */
    public enum Kind {
        /** A synchronous request from {@code cidra.invocations}. */
        INVOCATION,
        /** A job from {@code cidra.jobs}. */
        JOB
    }

    /** A phase of a request's or job's life on the executor. */
    public enum Phase {
        /** From the record's timestamp to a worker starting on it. */
        QUEUE,
        /** Getting module bytes from the registry and, for a job, its inputs. */
        FETCH,
        /** Parsing, resolving and linking the module graph (fetch excluded). */
        LINK,
        /** The guest's context, from creation to close. */
        RUN,
        /** Publishing a job's result, or sending a request's reply until Kafka acknowledged it. */
        PUBLISH
    }

    private final Map<Kind, Map<Phase, Timer>> timers = new EnumMap<>(Kind.class);
    private final Clock clock;

    PhaseTimers(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        for (Kind kind : Kind.values()) {
            var phases = new EnumMap<Phase, Timer>(Phase.class);
            for (Phase phase : Phase.values()) {
                phases.put(
                        phase,
                        Timer.builder(NAME)
                                .description("Time spent in one phase of a request or job on the executor")
                                .tag("kind", MeterTag.of(kind))
                                .tag("phase", MeterTag.of(phase))
                                .publishPercentileHistogram()
                                .maximumExpectedValue(Duration.ofMinutes(10))
                                .register(meters));
            }
            timers.put(kind, phases);
        }
    }

    /** Records one phase's duration. */
    public void record(Kind kind, Phase phase, Duration duration) {
        timers.get(kind).get(phase).record(duration);
    }

    /**
     * Records the queue phase of a record with timestamp {@code recordTimestampMillis}, ending now by the injected
     * clock; a timestamp ahead of this node's clock (skew between hosts) counts as no wait.
     */
    public void recordQueue(Kind kind, long recordTimestampMillis) {
        long waited = clock.millis() - recordTimestampMillis;
        record(kind, Phase.QUEUE, Duration.ofMillis(Math.max(0, waited)));
    }

    /** Records the engine's phases of an invocation: its module fetch as part of {@code fetch}, its link and run. */
    public void recordEngine(Kind kind, InvocationResult.Timing timing, Duration inputFetch) {
        record(kind, Phase.FETCH, timing.fetch().plus(inputFetch));
        record(kind, Phase.LINK, timing.link());
        record(kind, Phase.RUN, timing.run());
    }
}
