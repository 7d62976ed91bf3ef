package dev.cidra.gateway.jobs;

/** A job's published result could not be read from where it was published; the message says where and why. */
public final class ResultUnavailableException extends RuntimeException {
    ResultUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
