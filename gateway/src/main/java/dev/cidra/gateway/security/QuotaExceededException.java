package dev.cidra.gateway.security;

/**
 * A job refused at submission because its tenant is at one of its quotas ({@link QuotaConfig}); the message names the
 * quota, the tenant and its usage. Nothing was published.
 */
public final class QuotaExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String message) {
        super(message);
    }
}
