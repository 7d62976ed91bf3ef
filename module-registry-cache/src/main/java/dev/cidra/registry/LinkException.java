package dev.cidra.registry;

import java.util.List;

/** An import graph cannot be linked. The message starts with the import chain from the entry module. */
public final class LinkException extends RegistryException {
    private final List<String> chain;

    public LinkException(List<String> chain, String message) {
        super(String.join(" -> ", chain) + ": " + message);
        this.chain = List.copyOf(chain);
    }

    /** Module names from the entry module to the one that failed. */
    public List<String> chain() {
        return chain;
    }
}
