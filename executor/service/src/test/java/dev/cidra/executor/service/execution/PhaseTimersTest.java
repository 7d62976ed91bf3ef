package dev.cidra.executor.service.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseTimersTest {
    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

    @Test
    void theQueuePhaseEndsAtTheClocksNowAndARecordFromTheFutureWaitedNothing() {
        var meters = new SimpleMeterRegistry();
        var timers = new PhaseTimers(meters, Clock.fixed(NOW, ZoneOffset.UTC));

        timers.recordQueue(PhaseTimers.Kind.JOB, NOW.minusMillis(1500).toEpochMilli());
        timers.recordQueue(PhaseTimers.Kind.JOB, NOW.plusSeconds(30).toEpochMilli());

        var queue = meters.get(PhaseTimers.NAME)
                .tags("kind", "job", "phase", "queue")
                .timer();
        assertEquals(2, queue.count());
        assertEquals(1500, queue.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1500, queue.max(TimeUnit.MILLISECONDS));
        var invocations = meters.get(PhaseTimers.NAME)
                .tags("kind", "invocation", "phase", "queue")
                .timer();
        assertEquals(0, invocations.count());
    }

    @Test
    void theEnginesFetchIncludesTheInputsFetch() {
        var meters = new SimpleMeterRegistry();
        var timers = new PhaseTimers(meters, Clock.fixed(NOW, ZoneOffset.UTC));

        timers.recordEngine(
                PhaseTimers.Kind.INVOCATION,
                new dev.cidra.executor.InvocationResult.Timing(
                        Duration.ofMillis(7), Duration.ofMillis(11), Duration.ofMillis(13)),
                Duration.ofMillis(100));

        for (var phase : new String[][] {{"fetch", "107"}, {"link", "11"}, {"run", "13"}}) {
            var timer = meters.get(PhaseTimers.NAME)
                    .tags("kind", "invocation", "phase", phase[0])
                    .timer();
            assertEquals(Long.parseLong(phase[1]), (long) timer.totalTime(TimeUnit.MILLISECONDS), phase[0]);
        }
    }
}
