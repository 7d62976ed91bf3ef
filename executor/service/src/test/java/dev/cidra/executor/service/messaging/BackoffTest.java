package dev.cidra.executor.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(30);

    /** Each wait lies in [d/2, d] for d = 1 s doubled per attempt up to 30 s; the random half varies. */
    @Test
    void waitsDoubleUpToTheCapWithJitterInTheirUpperHalf() {
        var backoff = new Backoff(8, SECOND, CAP, new Random(7));
        long[] ceilings = {1, 2, 4, 8, 16, 30, 30, 30, 30};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            var seen = new HashSet<Duration>();
            Duration ceiling = Duration.ofSeconds(ceilings[attempt - 1]);
            for (int i = 0; i < 200; i++) {
                Duration wait = backoff.after(attempt);
                assertTrue(
                        wait.compareTo(ceiling.dividedBy(2)) >= 0 && wait.compareTo(ceiling) <= 0,
                        "attempt " + attempt + ": " + wait);
                seen.add(wait);
            }
            assertTrue(seen.size() > 100, "attempt " + attempt + " drew only " + seen.size() + " distinct waits");
        }
    }

    /** Far past the cap (where the doubling would overflow a long) the wait stays within the cap. */
    @Test
    void aVeryLateAttemptWaitsAtMostTheCap() {
        var backoff = new Backoff(1000, Duration.ofNanos(3), CAP, new Random(1));
        for (int attempt : new int[] {61, 62, 63, 64, 65, 999}) {
            Duration wait = backoff.after(attempt);
            assertTrue(wait.compareTo(CAP.dividedBy(2)) >= 0 && wait.compareTo(CAP) <= 0, attempt + ": " + wait);
        }
    }

    @Test
    void refusesSettingsThatCannotBackOff() {
        assertEquals(
                "cidra.jobs.max-infrastructure-attempts must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> new Backoff(0, SECOND, CAP, new Random()))
                        .getMessage());
        assertEquals(
                "cidra.jobs.retry-backoff must be positive and at most cidra.jobs.retry-backoff-max (PT30S), not PT0S",
                assertThrows(IllegalArgumentException.class, () -> new Backoff(3, Duration.ZERO, CAP, new Random()))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(3, Duration.ofMinutes(1), CAP, new Random()));
    }
}
