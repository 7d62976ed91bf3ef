package dev.cidra.registry;

/** A string is not a CID this platform accepts; the message says which rule it broke. */
public final class InvalidCidException extends IllegalArgumentException {
    public InvalidCidException(String message) {
        super(message);
    }
}
