package dev.cidra.executor.service.jobs;

import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobEvent.JobState;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.PublishedResult;
import dev.cidra.executor.InvocationResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

/**
 * The events this node sends about a job's execution, stamped with the node's id and the clock's time. A terminal
 * event carries the first {@code eventOutputBytes} of stdout and stderr as text, flagged truncated when the guest
 * wrote more. Immutable.
 */
final class JobEvents {
    private final String nodeId;
    private final Clock clock;
    private final int eventOutputBytes;

    JobEvents(String nodeId, Clock clock, int eventOutputBytes) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.eventOutputBytes = eventOutputBytes;
    }

    JobEvent running(JobRequest job) {
        return JobEvent.running(job.jobId(), job.executionId(), nodeId, clock.instant());
    }

    JobEvent publishing(JobRequest job) {
        return JobEvent.publishing(job.jobId(), job.executionId(), nodeId, clock.instant());
    }

    /** The terminal event of an execution its job's cancellation ended: no output, no result. */
    JobEvent cancelled(JobRequest job, JobCancellation cancellation) {
        return JobEvent.cancelled(cancellation, job.executionId(), nodeId);
    }

    /** The terminal event of an execution that failed before its guest ran: no output, no result. */
    JobEvent failed(JobRequest job, String error) {
        return new JobEvent(
                job.jobId(),
                job.executionId(),
                nodeId,
                JobState.FAILED,
                clock.instant(),
                null,
                null,
                null,
                false,
                false,
                error,
                null);
    }

    /**
     * The terminal event of an execution whose guest ran: {@link JobState#COMPLETED} exactly when {@code error} is null.
     *
     * @param published where the result went; null when it was not published
     */
    JobEvent ended(JobRequest job, InvocationResult result, String error, PublishedResult published) {
        return new JobEvent(
                job.jobId(),
                job.executionId(),
                nodeId,
                error == null ? JobState.COMPLETED : JobState.FAILED,
                clock.instant(),
                result.exitCode(),
                excerpt(result.stdout()),
                excerpt(result.stderr()),
                result.stdoutTruncated() || result.stdout().length > eventOutputBytes,
                result.stderrTruncated() || result.stderr().length > eventOutputBytes,
                error,
                published);
    }

    private String excerpt(byte[] output) {
        return new String(
                output.length > eventOutputBytes ? Arrays.copyOf(output, eventOutputBytes) : output,
                StandardCharsets.UTF_8);
    }
}
