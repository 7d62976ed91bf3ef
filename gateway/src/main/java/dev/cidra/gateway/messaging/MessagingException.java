package dev.cidra.gateway.messaging;

/**
 * Kafka could not be reached, or did not acknowledge a record within {@code cidra.kafka.request-timeout}. The message
 * names the topic and the cause: it is for the log, not for clients.
 */
public final class MessagingException extends RuntimeException {
    MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
