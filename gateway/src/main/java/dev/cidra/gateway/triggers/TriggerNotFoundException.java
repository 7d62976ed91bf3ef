package dev.cidra.gateway.triggers;

/** No trigger of the name asked for is defined. */
public final class TriggerNotFoundException extends RuntimeException {
    public TriggerNotFoundException(String name) {
        super("no trigger " + name + " is defined");
    }
}
