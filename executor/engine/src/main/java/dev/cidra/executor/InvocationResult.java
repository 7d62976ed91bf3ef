package dev.cidra.executor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What came of an invocation.
 *
 * @param status how it ended
 * @param exitCode the guest's exit code for {@link Status#EXITED} (0 when the entrypoint returned normally); otherwise
 *     the code the CLI exits with for that status
 * @param error why it did not exit normally (null for {@link Status#EXITED}): the trap message, the timeout, or why it
 *     could not start
 * @param stdout the first {@link Limits#stdoutBytes()} bytes of stdout
 * @param stdoutTruncated whether the guest wrote more than that
 * @param stderr the first {@link Limits#stderrBytes()} bytes of stderr
 * @param stderrTruncated whether the guest wrote more than that
 * @param moduleCid the entry module's CID (for a module given as bytes, the CIDv1 raw of its bytes)
 * @param duration wall-clock time of the invocation, linking included
 * @param timing how {@code duration} divides into fetching, linking and running
 */
public record InvocationResult(
        Status status,
        int exitCode,
        String error,
        byte[] stdout,
        boolean stdoutTruncated,
        byte[] stderr,
        boolean stderrTruncated,
        String moduleCid,
        Duration duration,
        Timing timing) {

    /**
     * The phases of an invocation, each measured on the invoking thread; they add up to at most its {@code duration}.
     * A phase the invocation did not reach is zero.
     *
     * @param fetch time spent getting module bytes from the module source (the registry), for the entry module and
     *     its imports; zero when the linked-module cache already held the module and no import module was named
     * @param link time spent parsing, verifying, resolving and linking the module graph and checking the entrypoint,
     *     {@code fetch} excluded (near zero on a linked-module cache hit)
     * @param run time from creating the guest's context to closing it: instantiation and the guest's own run
     */
    public record Timing(Duration fetch, Duration link, Duration run) {}

    /** How an invocation ended. */
    public enum Status {
        /** The guest called proc_exit or its entrypoint returned (exit code 0). */
        EXITED(0),
        /** The guest trapped (unreachable, out-of-bounds access, stack exhaustion ...). */
        TRAPPED(134),
        /** The guest ran past its timeout and was stopped. */
        TIMED_OUT(124),
        /** The module could not be fetched, verified, linked or instantiated, or its entrypoint is unusable. */
        REJECTED(125),
        /** Its caller stopped the guest before it ended ({@link Invocation#stop()}). */
        STOPPED(143);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The process exit code a command-line runner uses for this status (EXITED: the guest's own). */
        public int exitCode() {
            return exitCode;
        }
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
