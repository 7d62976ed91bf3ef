package dev.cidra.contract;

/** Checks shared by the message records. */
final class Require {
    private Require() {}

    static String nonBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    field + " must be a non-blank string, not " + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}
