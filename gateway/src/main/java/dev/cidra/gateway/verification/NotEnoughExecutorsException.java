package dev.cidra.gateway.verification;

/** Fewer live executors than a job's executions need (they must run on distinct ones); the detail says how many. */
public final class NotEnoughExecutorsException extends RuntimeException {
    NotEnoughExecutorsException(String message) {
        super(message);
    }
}
