package dev.cidra.gateway.security;

/** A tenant is over its submission rate; {@link #retryAfterSeconds()} says when it has room again. */
public final class TooManySubmissionsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    TooManySubmissionsException(long retryAfterSeconds, String message) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until one submission fits the rate again, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
