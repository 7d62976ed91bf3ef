package dev.cidra.executor;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one invocation may consume.
 *
 * @param memoryBytes the largest size every linear memory of every module in the graph may reach; rounded down to
 *     whole 64 KiB pages
 * @param timeout wall-clock time from the start of instantiation; the guest is interrupted, then cancelled
 * @param stdoutBytes stdout kept (and streamed) before the rest is discarded and the result marked truncated
 * @param stderrBytes the same for stderr
 * @param diskBytes the bytes all writable mounts together may hold (what they hold at the start counts); a write that
 *     would grow them past it writes what fits, or fails with ENOSPC
 * @param diskFiles the entries (files, directories, links) all writable mounts together may hold; a create past it
 *     fails with ENOSPC
 */
public record Limits(
        long memoryBytes, Duration timeout, int stdoutBytes, int stderrBytes, long diskBytes, long diskFiles) {
    /** 64 MiB memory, 10 s, 1 MiB of stdout and of stderr, 1 GiB and 100,000 entries on writable mounts. */
    public static final Limits DEFAULT = new Limits(64L << 20, Duration.ofSeconds(10), 1 << 20, 1 << 20);

    /** The default disk budget of writable mounts: 1 GiB. */
    public static final long DEFAULT_DISK_BYTES = 1L << 30;

    /** The default entry budget of writable mounts: 100,000. */
    public static final long DEFAULT_DISK_FILES = 100_000;

    /** The largest memory the runtime allows at all: 4 GiB, all a 32-bit memory can address. */
    public static final long MAX_MEMORY_BYTES = 4L << 30;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB|K|M|G)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    public Limits {
        if (memoryBytes < 65_536 || memoryBytes > MAX_MEMORY_BYTES) {
            throw new IllegalArgumentException(
                    "memory limit must be between 64KiB and 4GiB, not " + memoryBytes + " bytes");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (stdoutBytes < 0 || stderrBytes < 0) {
            throw new IllegalArgumentException("output caps must not be negative");
        }
        if (diskBytes < 0 || diskFiles < 0) {
            throw new IllegalArgumentException("disk budgets must not be negative");
        }
    }

    /** Limits with the default disk budgets. */
    public Limits(long memoryBytes, Duration timeout, int stdoutBytes, int stderrBytes) {
        this(memoryBytes, timeout, stdoutBytes, stderrBytes, DEFAULT_DISK_BYTES, DEFAULT_DISK_FILES);
    }

    public Limits withMemoryBytes(long bytes) {
        return new Limits(bytes, timeout, stdoutBytes, stderrBytes, diskBytes, diskFiles);
    }

    public Limits withTimeout(Duration value) {
        return new Limits(memoryBytes, value, stdoutBytes, stderrBytes, diskBytes, diskFiles);
    }

    public Limits withStdoutBytes(int bytes) {
        return new Limits(memoryBytes, timeout, bytes, stderrBytes, diskBytes, diskFiles);
    }

    public Limits withStderrBytes(int bytes) {
        return new Limits(memoryBytes, timeout, stdoutBytes, bytes, diskBytes, diskFiles);
    }

    public Limits withDiskBytes(long bytes) {
        return new Limits(memoryBytes, timeout, stdoutBytes, stderrBytes, bytes, diskFiles);
    }

    public Limits withDiskFiles(long files) {
        return new Limits(memoryBytes, timeout, stdoutBytes, stderrBytes, diskBytes, files);
    }

    long memoryPages() {
        return memoryBytes / 65_536;
    }

    /**
     * Parses a size such as {@code 64MiB}, {@code 512KiB}, {@code 1GB} or {@code 4096} (bytes). Units are binary
     * (KiB = 1024); K/KB, M/MB and G/GB are read as their binary counterparts too.
     */
    public static long parseSize(String text) {
        var m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "size \"" + text + "\" is not a number with an optional unit (B, KiB, MiB, GiB)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift =
                switch (unit.charAt(0)) {
                    case 'K' -> 10;
                    case 'M' -> 20;
                    case 'G' -> 30;
                    default -> 0;
                };
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large");
        }
        return value << shift;
    }

    /** Parses a duration such as {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}. */
    public static Duration parseDuration(String text) {
        var m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("duration \"" + text + "\" is not a number with a unit (ms, s, m, h)");
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(value);
            case "s" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            default -> Duration.ofHours(value);
        };
    }
}
