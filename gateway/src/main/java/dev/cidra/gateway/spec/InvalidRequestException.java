package dev.cidra.gateway.spec;

/** A request the gateway refuses as it is: the message says which field or parameter is wrong and why. */
public final class InvalidRequestException extends RuntimeException {
    /** What was invalid, for the problem's type. */
    public enum Kind {
        /** A query parameter or header of an invocation. */
        INVOCATION,
        /** A job spec. */
        JOB_SPEC,
        /** A trigger definition. */
        TRIGGER,
        /** A request body over its limit (an invocation's stdin, a job spec). */
        BODY_TOO_LARGE
    }

    private final Kind kind;

    public InvalidRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
