package dev.cidra.executor.service.publishing;

/** A job's result could not be published; the message names the destination and the cause. */
public final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
