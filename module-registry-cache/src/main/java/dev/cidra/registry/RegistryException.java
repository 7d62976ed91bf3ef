package dev.cidra.registry;

/**
 * A module could not be fetched, verified or linked. The message is precise enough to show to the user as it is: it
 * names the CID (and, for link errors, the import chain) and what went wrong.
 */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
