package dev.cidra.gateway.triggers;

/** A trigger of the name asked for is defined already. */
public final class TriggerExistsException extends RuntimeException {
    public TriggerExistsException(String name) {
        super("trigger " + name + " exists; delete it first to define it again");
    }
}
