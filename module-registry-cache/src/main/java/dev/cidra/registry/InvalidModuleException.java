package dev.cidra.registry;

/** Bytes are not a WebAssembly core module this platform can run; the message names the rule broken and where. */
public final class InvalidModuleException extends RegistryException {
    public InvalidModuleException(String message) {
        super(message);
    }
}
