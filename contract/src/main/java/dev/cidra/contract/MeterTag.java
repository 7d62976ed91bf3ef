package dev.cidra.contract;

import java.util.Locale;

/**
 * The one convention for the values of Cidra's meter tags, on the gateway and the executor alike: lower case, words
 * joined by {@code _} ({@code exited}, {@code timed_out}, {@code dead_letter}), as Prometheus labels usually are.
 * Literal tag values are written that way; an enum's constant becomes one through {@link #of}.
 */
public final class MeterTag {
    private MeterTag() {}

    /** The tag value of an enum constant: its name in lower case. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
