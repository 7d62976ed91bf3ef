package dev.cidra.contract;

import java.time.Instant;

/**
 * A caller's cancellation of a job, as published on {@link Topics#JOB_CANCELLATIONS} keyed by job id, by the gateway
 * that accepted it, in the transaction that also publishes the job's {@link JobEvent.JobState#CANCELLED} event. Every
 * executor reads the whole topic: a cancelled job never starts, and a running one is stopped.
 *
 * @param jobId the job
 * @param by who cancelled it (the caller's key name)
 * @param time when it was cancelled
 */
public record JobCancellation(String jobId, String by, Instant time) {
    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public JobCancellation {
        Require.nonBlank(jobId, "jobId");
        Require.nonBlank(by, "by");
        if (time == null) {
            throw new IllegalArgumentException("time must be set, not null");
        }
    }
}
