package dev.cidra.gateway.verification;

/** A job {@code verify} cannot run again: it has not ended, published no result, or is not deterministic. */
public final class JobNotVerifiableException extends RuntimeException {
    JobNotVerifiableException(String message) {
        super(message);
    }
}
