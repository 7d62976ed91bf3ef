package dev.cidra.gateway.jobs;

/** This replica knows no job by the id asked for. */
public final class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String jobId) {
        super("no job " + jobId + " is known");
    }
}
