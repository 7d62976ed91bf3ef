package dev.cidra.gateway.storage;

/**
 * The object store could not be reached or refused a request. The message names the bucket, key and cause: it is for
 * the log, not for clients.
 */
public final class StorageException extends RuntimeException {
    StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
