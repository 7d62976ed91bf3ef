package dev.cidra.registry;

/** No tier or content store holds the CID. */
public final class ModuleNotFoundException extends RegistryException {
    public ModuleNotFoundException(String message) {
        super(message);
    }
}
