package dev.cidra.load.gatling;

import java.time.Duration;

/**
 * The simulations' settings, read from system properties ({@code -Dcidra.NAME=VALUE}, which run.sh passes through
 * the Gatling Maven plugin). A required property that is missing stops the simulation before it sends anything.
 */
final class Config {
    private Config() {}

    /** The gateway's base URL, {@code cidra.gateway}. */
    static String gateway() {
        return text("cidra.gateway", "http://127.0.0.1:8080");
    }

    /** The gateway's API key, {@code $CIDRA_TOKEN} (platform.sh sets it to the admin key of the platform it starts). */
    static String token() {
        return System.getenv().getOrDefault("CIDRA_TOKEN", "");
    }

    /** {@code cidra.seconds}: how long the measured load lasts. */
    static Duration duration() {
        return Duration.ofSeconds(integer("cidra.seconds", 60));
    }

    static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * @throws IllegalStateException naming the property when it is not set
     */
    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is required (run.sh sets it)");
        }
        return value;
    }

    static int integer(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }

    static double decimal(String name, double fallback) {
        return Double.parseDouble(text(name, Double.toString(fallback)));
    }
}
