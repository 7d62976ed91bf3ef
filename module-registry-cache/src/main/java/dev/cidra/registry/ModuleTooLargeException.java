package dev.cidra.registry;

/** A module (or an import graph) is larger than the configured limit; the fetch stopped at the limit. */
public final class ModuleTooLargeException extends RegistryException {
    public ModuleTooLargeException(String message) {
        super(message);
    }
}
