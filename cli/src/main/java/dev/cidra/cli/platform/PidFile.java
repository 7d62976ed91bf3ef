package dev.cidra.cli.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code cidra up} records about a process it started, so that a later command finds that process and never
 * another one that has since been given the same pid (pids are recycled). A live process is the recorded one only if
 * it started at the recorded time (within {@link #START_TOLERANCE}) and its arguments include the component's marker
 * ({@link PlatformHome#marker}).
 */
record PidFile(long pid, Instant start) {
    /**
     * How far two readings of one process's start time may differ. The JDK derives it from the boot time, which a clock
     * adjustment can move by a second between two JVMs; the marker rules out unrelated processes.
     */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    /** The record of {@code process}, which must be alive. */
    static PidFile of(ProcessHandle process) throws IOException {
        Instant start = process.info()
                .startInstant()
                .orElseThrow(() -> new IOException("cannot read the start time of process " + process.pid()));
        return new PidFile(process.pid(), start);
    }

    /**
     * Reads the record in {@code file}.
     *
     * @return empty if there is no such file
     * @throws IOException if the file is not one {@link #write} wrote (the message names it)
     */
    static Optional<PidFile> read(Path file) throws IOException {
        var properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PidFile(
                    Long.parseLong(properties.getProperty("pid", "").strip()),
                    Instant.parse(properties.getProperty("start", "").strip())));
        } catch (NumberFormatException | DateTimeException e) {
            throw new IOException(file + " is not a pid file written by `cidra up` (it needs pid=<number> and"
                    + " start=<ISO-8601 instant>); delete it once you know which process it named");
        }
    }

    /** Writes this record to {@code file}, replacing it atomically. */
    void write(Path file) throws IOException {
        ConfigFile.write(
                file, "A process `cidra up` started", Map.of("pid", Long.toString(pid), "start", start.toString()));
    }

    /** The recorded process, if it is still alive; empty if it exited or its pid now names another process. */
    Optional<ProcessHandle> find(String marker) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> isRecorded(process.info(), marker));
    }

    /**
     * Whether a process described by {@code info} is the recorded one: it started at the recorded time and carries
     * {@code marker} among its arguments. False when either cannot be read (e.g. another user's process).
     */
    boolean isRecorded(ProcessHandle.Info info, String marker) {
        boolean sameStart = info.startInstant()
                .map(actual -> Duration.between(start, actual).abs().compareTo(START_TOLERANCE) <= 0)
                .orElse(false);
        boolean marked = info.arguments()
                .map(arguments -> List.of(arguments).contains(marker))
                .orElse(false);
        return sameStart && marked;
    }
}
