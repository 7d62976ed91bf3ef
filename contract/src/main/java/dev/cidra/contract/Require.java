package dev.cidra.contract;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    static void memory(long memoryBytes) {
        if (memoryBytes < InvocationRequest.MIN_MEMORY_BYTES || memoryBytes > InvocationRequest.MAX_MEMORY_BYTES) {
            throw new IllegalArgumentException("memoryBytes must be between " + InvocationRequest.MIN_MEMORY_BYTES
                    + " and " + InvocationRequest.MAX_MEMORY_BYTES + ", not " + memoryBytes);
        }
    }

    static <T> List<T> noNulls(Collection<T> values, String field) {
        int i = 0;
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException(field + "[" + i + "] is null");
            }
            i++;
        }
        return List.copyOf(values);
    }

    static List<String> strings(List<String> values, String field) {
        return values == null ? List.of() : noNulls(values, field);
    }

    /** A guest environment: names non-empty without '=', values non-null; insertion order kept. */
    static Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        var copy = new LinkedHashMap<String, String>();
        env.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException(
                        "env name " + (name == null ? "null" : "\"" + name + "\"") + " must be non-empty without '='");
            }
            if (value == null) {
                throw new IllegalArgumentException("env value of \"" + name + "\" is null");
            }
            copy.put(name, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Parameters: non-blank names and non-null values, the required ones present and non-blank, and, when
     * {@code known} is not null, no others.
     */
    static Map<String, String> params(
            Map<String, String> params, String what, List<String> required, Set<String> known) {
        var copy = new LinkedHashMap<String, String>();
        if (params != null) {
            params.forEach((name, value) -> {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException(what + " has a parameter without a name");
                }
                if (known != null && !known.contains(name)) {
                    throw new IllegalArgumentException(what + " has unknown parameter \"" + name + "\"; known: "
                            + String.join(", ", known.stream().sorted().toList()));
                }
                if (value == null) {
                    throw new IllegalArgumentException(what + " parameter " + name + " is null");
                }
                copy.put(name, value);
            });
        }
        for (String name : required) {
            if (copy.get(name) == null || copy.get(name).isBlank()) {
                throw new IllegalArgumentException(what + " needs parameter " + name);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /** An absolute, normalized guest path: starts with '/', no '.', '..' or empty segments, no ',' or ':'. */
    static String guestPath(String path, String field) {
        nonBlank(path, field);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(field + " must be an absolute guest path, not \"" + path + "\"");
        }
        if (path.contains(",") || path.contains(":")) {
            throw new IllegalArgumentException(
                    field + " must not contain ',' or ':' (they separate mounts), not \"" + path + "\"");
        }
        String normalized = Path.of(path).normalize().toString();
        if (!normalized.equals(path) || path.contains("/../") || path.endsWith("/..") || path.contains("\\")) {
            throw new IllegalArgumentException(field
                    + " must be a normalized path without '.', '..', '//' or a trailing '/', not \"" + path + "\"");
        }
        return path;
    }

    static boolean bool(String value, String field) {
        if ("true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw new IllegalArgumentException(field + " must be true or false, not \"" + value + "\"");
    }
}
