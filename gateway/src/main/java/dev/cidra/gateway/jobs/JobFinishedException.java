package dev.cidra.gateway.jobs;

/** The job has ended (completed, failed or cancelled): nothing changes it any more. */
public final class JobFinishedException extends RuntimeException {
    public JobFinishedException(String jobId, JobStatus.State state) {
        super("job " + jobId + " has already ended (" + state.json() + "); only a queued, running or publishing job"
                + " can be stopped");
    }
}
