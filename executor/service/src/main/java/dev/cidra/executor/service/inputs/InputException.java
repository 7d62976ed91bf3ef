package dev.cidra.executor.service.inputs;

/** An input of a job could not be made available; the message names the input and the cause. */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }

    InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
