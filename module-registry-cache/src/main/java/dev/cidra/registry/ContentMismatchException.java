package dev.cidra.registry;

/** Fetched bytes do not hash to the CID they were fetched under. Nothing is cached when this is thrown. */
public final class ContentMismatchException extends RegistryException {
    public ContentMismatchException(String message) {
        super(message);
    }
}
