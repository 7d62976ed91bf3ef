package dev.cidra.gateway.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rule for a guest's environment, wherever it is written: a call's {@code env=NAME=value} query parameters, a
 * job spec's {@code EnvironmentVariables} and a trigger's {@code env} (a list of {@code NAME=value} or a map). A name
 * is non-empty and has no {@code '='}; the value is what follows the first {@code '='}, and may hold more; each name is
 * given once. Callers word the errors for where the entry was written.
 */
public final class EnvironmentVariables {
    /** How a {@code NAME=value} entry breaks the rule. */
    public enum Fault {
        /** No {@code '='} at all. */
        NO_EQUALS,
        /** Nothing before the first {@code '='}. */
        EMPTY_NAME,
        /** A name given before. */
        REPEATED
    }

    private EnvironmentVariables() {}

    /**
     * Adds the {@code NAME=value} entry to {@code env}.
     *
     * @return null if it was added, else what is wrong with it ({@code env} is then unchanged)
     */
    public static Fault put(Map<String, String> env, String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            return Fault.NO_EQUALS;
        }
        if (equals == 0) {
            return Fault.EMPTY_NAME;
        }
        String name = entry.substring(0, equals);
        if (env.containsKey(name)) {
            return Fault.REPEATED;
        }
        env.put(name, entry.substring(equals + 1));
        return null;
    }

    /** The message for {@code entry}'s {@code fault}, without saying where the entry was. */
    public static String message(String entry, Fault fault) {
        return switch (fault) {
            case NO_EQUALS -> "\"" + entry + "\" must be NAME=value";
            case EMPTY_NAME -> "\"" + entry + "\" has an empty name";
            case REPEATED -> "sets " + entry.substring(0, entry.indexOf('=')) + " again; each name may be given once";
        };
    }

    /** Whether {@code name} may name a variable (the map form's keys): non-empty, without {@code '='}. */
    public static boolean isName(String name) {
        return !name.isEmpty() && name.indexOf('=') < 0;
    }

    /**
     * A spec's environment: {@code {NAME: value}} or {@code ["NAME=value"]}; empty if absent.
     *
     * @throws InvalidRequestException at the entry that breaks the rule
     */
    static Map<String, String> read(SpecNode node) {
        var env = new LinkedHashMap<String, String>();
        if (node.isArray()) {
            for (SpecNode entry : node.elements()) {
                String text = entry.requiredText();
                Fault fault = put(env, text);
                if (fault != null) {
                    throw entry.error(
                            fault == Fault.REPEATED
                                    ? message(text, fault)
                                    : "\"" + text + "\" must be NAME=value with a non-empty NAME");
                }
            }
            return env;
        }
        Map<String, String> map = node.textMap();
        if (map != null) {
            map.forEach((name, value) -> {
                if (!isName(name)) {
                    throw node.error("name \"" + name + "\" must be non-empty without '='");
                }
                env.put(name, value);
            });
        }
        return env;
    }
}
