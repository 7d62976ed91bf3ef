package dev.cidra.contract;

import java.time.Instant;

/**
 * A change of a job's state, as published on {@link Topics#JOB_EVENTS} keyed by job id, so one job's events are in
 * order on one partition. The gateway publishes {@link JobState#QUEUED}; the executor running an execution publishes
 * {@link JobState#RUNNING}, {@link JobState#PUBLISHING} when the job has a publisher, and then exactly one terminal event ({@link JobState#COMPLETED}, {@link JobState#FAILED} or {@link JobState#CANCELLED})
 * per execution id, in a Kafka transaction: read them with {@code isolation.level=read_committed}. A job cancelled
 * through the gateway gets a {@link JobState#CANCELLED} event of no execution from the gateway, in the transaction that
 * publishes its {@link JobCancellation}, and another from the executor whose execution the cancellation stopped.
 *
 * @param jobId the job
 * @param executionId the execution; null for {@link JobState#QUEUED}
 * @param nodeId the executor node; null for {@link JobState#QUEUED}
 * @param state the job's state after this event
 * @param time when the state was entered
 * @param exitCode terminal events of a guest that ran: its exit code (124 timed out, 134 trapped); otherwise null
 * @param stdout terminal events: the start of the guest's stdout as UTF-8 (malformed bytes replaced); null otherwise
 * @param stderr terminal events: the start of the guest's stderr as UTF-8; null otherwise
 * @param stdoutTruncated whether the guest wrote more stdout than {@link #stdout()} holds
 * @param stderrTruncated whether the guest wrote more stderr than {@link #stderr()} holds
 * @param error {@link JobState#FAILED}: why; null otherwise
 * @param result terminal events: where the result was published; null when the job has no publisher or nothing was
 *     published
 * @param tenant {@link JobState#QUEUED}: the tenant the job belongs to (the gateway's authenticated caller); null on
 *     the events executors publish, which the job's first queued event owns
 * @param labels {@link JobState#QUEUED}: the job spec's {@code Labels}, for filtering job lists; null otherwise or when
 *     it has none
 * @param meta {@link JobState#QUEUED}: the job spec's {@code Meta}, kept and returned; null otherwise or when it has
 *     none
 * @param executions {@link JobState#QUEUED}: how many executions the job runs on distinct executors to compare their
 *     result CIDs (the spec's {@code Count}); null otherwise or when it runs once. The job ends once all have ended
 * @param cancelledBy {@link JobState#CANCELLED}: who cancelled the job (the caller's key name); null otherwise. The
 *     event's {@code time} is when it was cancelled
 */
public record JobEvent(
        String jobId,
        String executionId,
        String nodeId,
        JobState state,
        Instant time,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        String error,
        PublishedResult result,
        String tenant,
        java.util.Map<String, String> labels,
        java.util.Map<String, String> meta,
        Integer executions,
        String cancelledBy) {

    /** A job's state. */
    public enum JobState {
        /** Accepted and waiting for an executor. */
        QUEUED,
        /** An executor is fetching its inputs or running it. */
        RUNNING,
        /** The guest has ended; the executor is publishing its result. */
        PUBLISHING,
        /** The guest exited with code 0 and its result, if any, was published. */
        COMPLETED,
        /**
         * It cannot complete: an input could not be fetched, the module was rejected, the guest exited non-zero,
         * trapped or timed out, or the result could not be published.
         */
        FAILED,
        /** Cancelled by a caller before it ended: it does not run, or its guest was stopped; nothing was published. */
        CANCELLED;

        /** Whether no later event changes the job. */
        public boolean terminal() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public JobEvent {
        Require.nonBlank(jobId, "jobId");
        if (state == null) {
            throw new IllegalArgumentException(
                    "state must be one of QUEUED, RUNNING, PUBLISHING, COMPLETED, FAILED, CANCELLED, not null");
        }
        if (time == null) {
            throw new IllegalArgumentException("time must be set, not null");
        }
        if (state == JobState.CANCELLED) {
            Require.nonBlank(cancelledBy, "cancelledBy");
            if ((executionId == null) != (nodeId == null)) {
                throw new IllegalArgumentException(
                        "a CANCELLED event names both its execution and its node, or neither (the gateway's)");
            }
        } else if (cancelledBy != null) {
            throw new IllegalArgumentException("cancelledBy must be null for state " + state);
        }
        if (state != JobState.QUEUED && state != JobState.CANCELLED) {
            Require.nonBlank(executionId, "executionId");
            Require.nonBlank(nodeId, "nodeId");
        }
        if ((state == JobState.FAILED) != (error != null)) {
            throw new IllegalArgumentException(
                    state == JobState.FAILED
                            ? "error must explain state FAILED, not be null"
                            : "error must be null for state " + state + ", not \"" + error + "\"");
        }
        if (tenant != null) {
            ApiKey.tenant(tenant);
        }
        labels =
                labels == null || labels.isEmpty() ? null : Require.params(labels, "labels", java.util.List.of(), null);
        meta = meta == null || meta.isEmpty() ? null : Require.params(meta, "meta", java.util.List.of(), null);
        if (executions != null) {
            if (state != JobState.QUEUED) {
                throw new IllegalArgumentException("executions is set on QUEUED events only, not on " + state);
            }
            Require.atLeast(executions, 2, "executions");
        }
    }

    /** An event of no tenant: the events executors publish. */
    public JobEvent(
            String jobId,
            String executionId,
            String nodeId,
            JobState state,
            Instant time,
            Integer exitCode,
            String stdout,
            String stderr,
            boolean stdoutTruncated,
            boolean stderrTruncated,
            String error,
            PublishedResult result) {
        this(
                jobId,
                executionId,
                nodeId,
                state,
                time,
                exitCode,
                stdout,
                stderr,
                stdoutTruncated,
                stderrTruncated,
                error,
                result,
                null,
                null,
                null,
                null,
                null);
    }

    /** The event that says a job of {@code tenant} was accepted. */
    public static JobEvent queued(String jobId, Instant time, String tenant) {
        return queued(jobId, time, tenant, null, null, null);
    }

    /** The event that says {@code job} was accepted, with its tenant, labels and meta. */
    public static JobEvent queued(JobRequest job) {
        return queued(job, 1);
    }

    /**
     * The event that says {@code job} was accepted, with its tenant, labels and meta, to run {@code executions} times
     * on distinct executors.
     */
    public static JobEvent queued(JobRequest job, int executions) {
        return queued(
                job.jobId(),
                job.submittedAt(),
                job.tenant(),
                job.labels(),
                job.meta(),
                executions == 1 ? null : executions);
    }

    private static JobEvent queued(
            String jobId,
            Instant time,
            String tenant,
            java.util.Map<String, String> labels,
            java.util.Map<String, String> meta,
            Integer executions) {
        return new JobEvent(
                jobId,
                null,
                null,
                JobState.QUEUED,
                time,
                null,
                null,
                null,
                false,
                false,
                null,
                null,
                tenant,
                labels,
                meta,
                executions,
                null);
    }

    /** The event that says an execution's guest has ended and its result is being published. */
    public static JobEvent publishing(String jobId, String executionId, String nodeId, Instant time) {
        return new JobEvent(
                jobId, executionId, nodeId, JobState.PUBLISHING, time, null, null, null, false, false, null, null);
    }

    /**
     * The event that says a job was cancelled.
     *
     * @param executionId the execution the cancellation stopped, with its node; both null for the gateway's event
     */
    public static JobEvent cancelled(JobCancellation cancellation, String executionId, String nodeId) {
        return new JobEvent(
                cancellation.jobId(),
                executionId,
                nodeId,
                JobState.CANCELLED,
                cancellation.time(),
                null,
                null,
                null,
                false,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                cancellation.by());
    }

    /** The event that says an executor started an execution. */
    public static JobEvent running(String jobId, String executionId, String nodeId, Instant time) {
        return new JobEvent(
                jobId, executionId, nodeId, JobState.RUNNING, time, null, null, null, false, false, null, null);
    }
}
