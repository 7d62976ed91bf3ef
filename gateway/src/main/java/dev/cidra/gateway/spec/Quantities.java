package dev.cidra.gateway.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes and durations users write. Every unit is binary (1 Ki = 1 K = 1024), as Bacalhau reads them. */
public final class Quantities {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([a-zA-Z]*)");
    private static final Map<String, Integer> SHIFTS = Map.ofEntries(
            Map.entry("", 0),
            Map.entry("b", 0),
            Map.entry("k", 10),
            Map.entry("ki", 10),
            Map.entry("kb", 10),
            Map.entry("kib", 10),
            Map.entry("m", 20),
            Map.entry("mi", 20),
            Map.entry("mb", 20),
            Map.entry("mib", 20),
            Map.entry("g", 30),
            Map.entry("gi", 30),
            Map.entry("gb", 30),
            Map.entry("gib", 30),
            Map.entry("t", 40),
            Map.entry("ti", 40),
            Map.entry("tb", 40),
            Map.entry("tib", 40));
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Quantities() {}

    /**
     * A size in bytes: digits, optionally followed by a unit ({@code Ki}, {@code Mi}, {@code Gi}, {@code Ti}, also
     * written {@code K}, {@code KB}, {@code KiB} ..., any case).
     *
     * @param field names the value in the message
     * @throws IllegalArgumentException naming the field and the accepted forms
     */
    public static long bytes(String text, String field) {
        Matcher matcher = SIZE.matcher(text.strip());
        Integer shift = matcher.matches() ? SHIFTS.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
        if (shift == null) {
            throw new IllegalArgumentException(field + " must be a number of bytes, optionally with a unit (Ki, Mi, Gi,"
                    + " Ti, e.g. 64Mi or 1Gb), not \"" + text + "\"");
        }
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(field + " \"" + text + "\" is too large");
        }
    }

    /**
     * A positive duration: ISO-8601 ({@code PT5S}) or a number with a unit, {@code ms}, {@code s}, {@code m} or
     * {@code h} ({@code 500ms}, {@code 5s}).
     *
     * @throws IllegalArgumentException naming the field and the accepted forms
     */
    public static Duration duration(String text, String field) {
        Duration duration = null;
        Matcher matcher = DURATION.matcher(text);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } else if (text.startsWith("P") || text.startsWith("p")) {
                duration = Duration.parse(text);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            duration = null;
        }
        if (duration == null) {
            throw new IllegalArgumentException(
                    field + " must be a duration such as 5s, 500ms, 2m or PT5S, not \"" + text + "\"");
        }
        if (duration.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(field + " must be at least 1ms, not \"" + text + "\"");
        }
        return duration;
    }
}
