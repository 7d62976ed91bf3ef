package dev.cidra.executor.service.publishing;

import dev.cidra.executor.service.health.S3Outage;

/** A job's result could not be published; the message names the destination and the cause. */
public final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean outage;

    PublishException(String message, Throwable cause, boolean outage) {
        super(message, cause);
        this.outage = outage;
    }

    /**
     * Whether S3 did not answer or answered 5xx ({@link S3Outage#isOutage}): a failure of the infrastructure, not of the
     * job, that a later attempt may not meet.
     */
    public boolean outage() {
        return outage;
    }
}
