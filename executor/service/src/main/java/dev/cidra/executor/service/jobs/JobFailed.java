package dev.cidra.executor.service.jobs;

/**
 * Thrown by a step of an execution that fails the job before its guest ran (an input, a result path, a CID, the
 * module): the execution ends FAILED with the message as its reason; nothing is published, no marker written.
 */
final class JobFailed extends Exception {
    private static final long serialVersionUID = 1L;

    JobFailed(String reason) {
        super(reason, null, false, false);
    }
}
