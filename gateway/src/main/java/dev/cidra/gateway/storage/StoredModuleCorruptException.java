package dev.cidra.gateway.storage;

/**
 * The object stored under a CID is not that module (its bytes hash to another CID, it is too large, or it is not
 * WebAssembly): it was written behind the registry's back. It is never served or run; the message says what is wrong.
 */
public final class StoredModuleCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoredModuleCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
