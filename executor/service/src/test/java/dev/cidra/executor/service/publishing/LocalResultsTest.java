package dev.cidra.executor.service.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalResultsTest {
    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aResultIsServedUntilItsRetentionHasPassedThenDeleted() throws IOException {
        var clock = new MovableClock();
        var results = new LocalResults(dir.resolve("results"), Duration.ofHours(24), clock);
        Path archive = Files.writeString(dir.resolve("archive.tar.gz"), "result");
        assertEquals(clock.now.plus(Duration.ofHours(24)), results.keep("e-1", archive), "when it expires");

        clock.now = clock.now.plus(Duration.ofHours(23));
        assertTrue(results.find("e-1").isPresent());
        assertEquals(0, results.expire());

        clock.now = clock.now.plus(Duration.ofHours(1));
        assertFalse(results.find("e-1").isPresent(), "an expired result is not served, even before it is deleted");
        assertEquals(1, results.expire());
        assertFalse(Files.exists(dir.resolve("results/e-1.tar.gz")));
        assertEquals(0, results.expire());
    }

    @Test
    void onlyExpiredResultsAreDeleted() throws IOException {
        var clock = new MovableClock();
        var results = new LocalResults(dir.resolve("results"), Duration.ofHours(1), clock);
        Path archive = Files.writeString(dir.resolve("archive.tar.gz"), "result");
        results.keep("old", archive);
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        results.keep("new", archive);

        clock.now = clock.now.plus(Duration.ofMinutes(45));

        assertEquals(1, results.expire());
        assertFalse(results.find("old").isPresent());
        assertTrue(results.find("new").isPresent());
    }
}
