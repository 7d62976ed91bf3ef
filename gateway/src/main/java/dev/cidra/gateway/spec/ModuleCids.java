package dev.cidra.gateway.spec;

import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;

/** The rule for a module named in a spec (a job's entry and import modules, a trigger's module): a well-formed CID. */
final class ModuleCids {
    private ModuleCids() {}

    /**
     * {@code text}, the value at {@code at}, if it is a CID.
     *
     * @throws InvalidRequestException at {@code at}, with the reason the CID is malformed
     */
    static String check(SpecNode at, String text) {
        try {
            Cid.parse(text);
            return text;
        } catch (InvalidCidException e) {
            throw at.error(e.getMessage());
        }
    }

    /** The required CID at {@code node}. */
    static String required(SpecNode node) {
        return check(node, node.requiredText());
    }
}
