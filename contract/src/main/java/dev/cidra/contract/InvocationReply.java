package dev.cidra.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * What came of one execution of an {@link InvocationRequest}, as published to the request's reply topic keyed by job
 * id. Immutable once built; the byte arrays must not be modified by whoever reads them.
 *
 * @param jobId the request's job id
 * @param executionId the request's {@link InvocationRequest#executionKey() execution key}
 * @param nodeId the executor node that ran it
 * @param status how it ended
 * @param exitCode the guest's exit code for {@link Status#EXITED}; otherwise the code a command-line runner exits with
 *     for the status (124 timed out or expired, 125 rejected, 134 trapped)
 * @param stdout the captured stdout (up to the executor's cap)
 * @param stderr the captured stderr (up to the executor's cap)
 * @param stdoutTruncated whether the guest wrote more stdout than was kept
 * @param stderrTruncated whether the guest wrote more stderr than was kept
 * @param error why it did not exit normally; null exactly when the status is {@link Status#EXITED}
 * @param durationMicros wall-clock time of the run in microseconds, linking included
 */
public record InvocationReply(
        String jobId,
        String executionId,
        String nodeId,
        Status status,
        int exitCode,
        byte[] stdout,
        byte[] stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        String error,
        long durationMicros) {

    /** How an execution ended. */
    public enum Status {
        /** The guest called proc_exit or its entrypoint returned. */
        EXITED,
        /** The guest trapped. */
        TRAPPED,
        /** The guest ran past its timeout and was stopped. */
        TIMED_OUT,
        /** The module could not be fetched, verified, linked or instantiated, or its entrypoint is unusable. */
        REJECTED,
        /**
         * The run ended, but its reply could not be published whole (larger than the reply topic takes): this reply
         * carries no output, its error says how the run ended and why the rest was not delivered, its exit code is
         * the run's. Not an outcome of the engine: the executor sends it in place of the reply Kafka refused.
         */
        UNDELIVERABLE,
        /**
         * Not run: the executor took the request after its {@link InvocationRequest#replyBy()}, when its caller had
         * stopped waiting. Carries no output, exit code {@value #EXPIRED_EXIT_CODE} and an error saying how late it was
         * taken. Not an outcome of the engine: the executor answers it instead of running a request nobody waits for,
         * so that a backlog (after a failover) costs no guest runs.
         */
        EXPIRED
    }

    /** The exit code of an {@link Status#EXPIRED} reply: a command-line runner's for a run out of time. */
    public static final int EXPIRED_EXIT_CODE = 124;

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public InvocationReply {
        Require.nonBlank(jobId, "jobId");
        Require.nonBlank(executionId, "executionId");
        Require.nonBlank(nodeId, "nodeId");
        if (status == null) {
            throw new IllegalArgumentException(
                    "status must be one of EXITED, TRAPPED, TIMED_OUT, REJECTED, UNDELIVERABLE, EXPIRED, not null");
        }
        if (stdout == null || stderr == null) {
            throw new IllegalArgumentException((stdout == null ? "stdout" : "stderr") + " must not be null");
        }
        if ((status == Status.EXITED) != (error == null)) {
            throw new IllegalArgumentException(
                    status == Status.EXITED
                            ? "error must be null for status EXITED, not \"" + error + "\""
                            : "error must explain status " + status + ", not be null");
        }
        Require.atLeast(durationMicros, 0, "durationMicros");
    }

    /**
     * The reply to {@code request} taken by {@code nodeId} at {@code takenAt}, after its caller stopped waiting:
     * {@link Status#EXPIRED}, no output, not run.
     *
     * @throws IllegalArgumentException if the request has no {@link InvocationRequest#replyBy()}
     */
    public static InvocationReply expired(InvocationRequest request, String nodeId, Instant takenAt) {
        if (request.replyBy() == null) {
            throw new IllegalArgumentException("request " + request.executionKey() + " has no replyBy to expire");
        }
        return new InvocationReply(
                request.jobId(),
                request.executionKey(),
                nodeId,
                Status.EXPIRED,
                EXPIRED_EXIT_CODE,
                new byte[0],
                new byte[0],
                false,
                false,
                "not run: taken at " + takenAt + ", "
                        + Duration.between(request.replyBy(), takenAt).toMillis()
                        + " ms after its caller stopped waiting (" + request.replyBy() + ")",
                0);
    }

    /**
     * The reply that stands in for this one when Kafka refused it: {@link Status#UNDELIVERABLE}, no output, the same
     * exit code and duration, and an error saying how the run ended and {@code why} it was not delivered.
     */
    public InvocationReply undeliverable(String why) {
        String ended = status == Status.EXITED ? "the guest exited with code " + exitCode : status + ": " + error;
        return new InvocationReply(
                jobId,
                executionId,
                nodeId,
                Status.UNDELIVERABLE,
                exitCode,
                new byte[0],
                new byte[0],
                stdoutTruncated,
                stderrTruncated,
                ended + "; its reply (" + stdout.length + " bytes of stdout, " + stderr.length
                        + " bytes of stderr) could not be delivered: " + why,
                durationMicros);
    }
}
