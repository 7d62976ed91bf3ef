package dev.cidra.gateway.jobs;

/** The job exists but has no published result (yet): the message says its state. */
public final class ResultNotPublishedException extends RuntimeException {
    ResultNotPublishedException(String message) {
        super(message);
    }
}
