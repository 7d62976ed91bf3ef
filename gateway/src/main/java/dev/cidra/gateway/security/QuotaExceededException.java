package dev.cidra.gateway.security;

import java.util.OptionalLong;

/**
 * A job refused at submission because its tenant is at one of its quotas ({@link QuotaConfig}); the message names the
 * quota, the tenant and its usage. Nothing was published.
 */
public final class QuotaExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final OptionalLong retryAfterSeconds;

    /** A quota that frees up when something else happens (a job finishes): no time to retry after. */
    public QuotaExceededException(String message) {
        this(message, OptionalLong.empty());
    }

    /** A quota that frees up in {@code retryAfterSeconds} at the latest, if nothing else is added meanwhile. */
    public QuotaExceededException(String message, OptionalLong retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until the quota has room again, at least 1, if it is known. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
