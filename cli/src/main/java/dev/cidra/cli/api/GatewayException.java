package dev.cidra.cli.api;

/** The gateway refused a request or could not be reached; the message is the one line to show. */
public final class GatewayException extends RuntimeException {
    GatewayException(String message) {
        super(message);
    }

    GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
