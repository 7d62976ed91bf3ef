package dev.cidra.contract;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a job's result goes: its result paths plus {@code stdout}, {@code stderr} and {@code exitCode} files. Field and
 * parameter names follow Bacalhau's job spec. Immutable once built.
 *
 * <p>Types and their parameters ({@code *} required):
 *
 * <ul>
 *   <li>{@value #S3}: {@code Bucket*}, {@code Key*} (a template of {@code {jobID}}, {@code {executionID}},
 *       {@code {nodeID}}, {@code {date}} (YYYYMMDD), {@code {time}} (HHMMSS), UTC at submission; it must contain
 *       {@code {jobID}} or {@code {executionID}}, so that every job writes keys of its own, and no {@code .} or
 *       {@code ..} segment), {@code Encoding}
 *       ({@value #GZIP}, the default: one {@code .tar.gz} object, the suffix appended when missing; {@value #PLAIN}:
 *       every file under the key as a prefix, a trailing {@code /} appended when missing), {@code Endpoint},
 *       {@code Region}
 *   <li>{@value #LOCAL}: no parameters; the executor keeps the {@code .tar.gz} and serves it over HTTP
 * </ul>
 *
 * @param type {@value #S3} or {@value #LOCAL}
 * @param params the type's parameters; null means none
 */
public record Publisher(String type, Map<String, String> params) {
    public static final String S3 = "s3";
    public static final String LOCAL = "local";
    public static final String GZIP = "gzip";
    public static final String PLAIN = "plain";

    /** Names every published result uses for the job's own output, so result paths cannot take them. */
    public static final Set<String> RESERVED_NAMES = Set.of("stdout", "stderr", "exitCode");

    /** The placeholders an S3 key template may contain. */
    public static final List<String> KEY_PLACEHOLDERS =
            List.of("{jobID}", "{executionID}", "{nodeID}", "{date}", "{time}");

    /**
     * @throws IllegalArgumentException naming the field or parameter and the rule it breaks
     */
    public Publisher {
        if (S3.equals(type)) {
            params = Require.params(
                    params,
                    "publisher s3",
                    List.of("Bucket", "Key"),
                    Set.of("Bucket", "Key", "Encoding", "Endpoint", "Region"));
            String encoding = params.get("Encoding");
            if (encoding != null && !encoding.equals(GZIP) && !encoding.equals(PLAIN)) {
                throw new IllegalArgumentException(
                        "publisher s3 Encoding must be " + GZIP + " or " + PLAIN + ", not \"" + encoding + "\"");
            }
            String key = params.get("Key");
            int open = key.indexOf('{');
            while (open >= 0) {
                int close = key.indexOf('}', open);
                String placeholder = close < 0 ? key.substring(open) : key.substring(open, close + 1);
                if (!KEY_PLACEHOLDERS.contains(placeholder)) {
                    throw new IllegalArgumentException("publisher s3 Key \"" + key + "\" has unknown placeholder "
                            + placeholder + "; known: " + String.join(", ", KEY_PLACEHOLDERS));
                }
                open = key.indexOf('{', close);
            }
            if (!key.contains("{jobID}") && !key.contains("{executionID}")) {
                throw new IllegalArgumentException("publisher s3 Key \"" + key + "\" must contain {jobID} or"
                        + " {executionID}, so that no job writes where another job's result is");
            }
            for (String segment : key.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("publisher s3 Key \"" + key + "\" has a '" + segment
                            + "' segment; keys may not climb" + " out of their prefix");
                }
            }
        } else if (LOCAL.equals(type)) {
            params = Require.params(params, "publisher local", List.of(), Set.of());
        } else {
            throw new IllegalArgumentException("publisher type must be " + S3 + " or " + LOCAL + ", not "
                    + (type == null ? "null" : "\"" + type + "\""));
        }
    }

    /** The encoding of an S3 publisher: {@value #GZIP} unless {@code Encoding} says {@value #PLAIN}. */
    public String encoding() {
        return params.getOrDefault("Encoding", GZIP);
    }
}
