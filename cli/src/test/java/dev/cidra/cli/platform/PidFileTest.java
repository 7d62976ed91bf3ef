package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    private static final String MARKER = "-Ddev.cidra.platform=kafka@/var/cidra";
    private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.060Z");

    @TempDir
    Path dir;

    /** A process as {@link ProcessHandle#info()} would describe it. */
    private record Info(Optional<Instant> startInstant, Optional<String[]> arguments) implements ProcessHandle.Info {
        static Info of(Instant start, String... arguments) {
            return new Info(Optional.of(start), Optional.of(arguments));
        }

        @Override
        public Optional<String> command() {
            return Optional.of("/usr/bin/java");
        }

        @Override
        public Optional<String> commandLine() {
            return arguments.map(args -> "/usr/bin/java " + String.join(" ", args));
        }

        @Override
        public Optional<Duration> totalCpuDuration() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }
    }

    private final PidFile recorded = new PidFile(4242, STARTED);

    @Test
    void theProcessThatStartedThenAndCarriesTheMarkerIsTheRecordedOne() {
        assertTrue(recorded.isRecorded(Info.of(STARTED, "-Xmx512m", MARKER, "kafka.Kafka"), MARKER));
    }

    @Test
    void aStartTimeReadDifferentlyByUpToASecondStillMatches() {
        assertTrue(recorded.isRecorded(Info.of(STARTED.plusMillis(1000), MARKER), MARKER));
        assertTrue(recorded.isRecorded(Info.of(STARTED.minusMillis(1000), MARKER), MARKER));
    }

    @Test
    void aRecycledPidIsNotTheRecordedProcessEvenWithTheMarker() {
        assertFalse(recorded.isRecorded(Info.of(STARTED.plusMillis(1001), MARKER), MARKER));
        assertFalse(recorded.isRecorded(Info.of(STARTED.plus(Duration.ofHours(3)), MARKER), MARKER));
    }

    @Test
    void aProcessWithoutTheMarkerIsNotTheRecordedOne() {
        assertFalse(recorded.isRecorded(Info.of(STARTED, "-Xmx512m", "kafka.Kafka"), MARKER));
        // Another component, or the same component of another state directory.
        assertFalse(recorded.isRecorded(Info.of(STARTED, "-Ddev.cidra.platform=s3proxy@/var/cidra"), MARKER));
        assertFalse(recorded.isRecorded(Info.of(STARTED, "-Ddev.cidra.platform=kafka@/var/cidra/other"), MARKER));
    }

    @Test
    void aProcessWhoseDetailsCannotBeReadIsNotTheRecordedOne() {
        assertFalse(recorded.isRecorded(new Info(Optional.empty(), Optional.of(new String[] {MARKER})), MARKER));
        assertFalse(recorded.isRecorded(new Info(Optional.of(STARTED), Optional.empty()), MARKER));
    }

    @Test
    void findsALiveProcessOnlyByItsStartAndMarker() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        String argument = self.info().arguments().orElseThrow()[0];
        PidFile record = PidFile.of(self);

        assertEquals(Optional.of(self), record.find(argument));
        assertEquals(Optional.empty(), record.find(MARKER));
        var recycled = new PidFile(self.pid(), record.start().minus(Duration.ofMinutes(5)));
        assertEquals(Optional.empty(), recycled.find(argument));
    }

    @Test
    void aProcessIsFoundWhileItRunsAndNotOnceItHasExited() throws Exception {
        Process process = new ProcessBuilder("sleep", "600").start();
        try {
            PidFile record = PidFile.of(process.toHandle());
            assertEquals(Optional.of(process.toHandle()), record.find("600"));

            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), record.find("600"));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void writesAndReadsBack() throws IOException {
        Path file = dir.resolve("kafka.pid");
        recorded.write(file);

        assertEquals(Optional.of(recorded), PidFile.read(file));
        assertEquals(Optional.empty(), PidFile.read(dir.resolve("absent.pid")));
    }

    @Test
    void aMalformedPidFileIsRejectedNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("kafka.pid"), "pid=12x\nstart=2026-01-02T03:04:05Z\n");

        var e = assertThrows(IOException.class, () -> PidFile.read(file));
        assertTrue(e.getMessage().startsWith(file + " is not a pid file written by `cidra up`"), e.getMessage());
    }
}
