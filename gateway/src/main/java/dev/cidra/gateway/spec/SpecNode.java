package dev.cidra.gateway.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A value of a spec (a job spec, a trigger definition, a CloudEvent envelope) with its path from the root ({@code Tasks[0].Engine.Params}), so that every error names
 * where it is. Missing and JSON-null values are absent. Immutable.
 */
final class SpecNode {
    private final JsonNode node;
    private final String path;
    private final InvalidRequestException.Kind kind;

    /** A job spec's root. */
    SpecNode(JsonNode node, String path) {
        this(node, path, InvalidRequestException.Kind.JOB_SPEC);
    }

    /** A root whose errors are of {@code kind}. */
    SpecNode(JsonNode node, String path, InvalidRequestException.Kind kind) {
        this.node = node == null || node.isNull() || node.isMissingNode() ? null : node;
        this.path = path;
        this.kind = kind;
    }

    String path() {
        return path;
    }

    boolean present() {
        return node != null;
    }

    /** The member {@code name} of this object (absent if missing). */
    SpecNode get(String name) {
        return new SpecNode(node == null ? null : node.get(name), path.isEmpty() ? name : path + "." + name, kind);
    }

    /**
     * Checks that this is an object with no members but {@code known}.
     *
     * @throws InvalidRequestException naming the unknown member and the known ones
     */
    SpecNode object(Set<String> known) {
        if (node == null) {
            return this;
        }
        if (!node.isObject()) {
            throw error("must be an object, not " + kind());
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new SpecNode(null, path.isEmpty() ? name : path + "." + name, kind)
                        .error("unknown field; known fields " + (path.isEmpty() ? "here" : "of " + path) + ": "
                                + String.join(", ", new TreeSet<>(known)));
            }
        }
        return this;
    }

    /** The elements of this array; empty if absent. */
    List<SpecNode> elements() {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be an array, not " + kind());
        }
        var elements = new ArrayList<SpecNode>();
        for (int i = 0; i < node.size(); i++) {
            elements.add(new SpecNode(node.get(i), path + "[" + i + "]", kind));
        }
        return elements;
    }

    /** This scalar as text (strings as they are, numbers and booleans as written); null if absent. */
    String text() {
        if (node == null) {
            return null;
        }
        if (!node.isValueNode()) {
            throw error("must be a string, number or boolean, not " + kind());
        }
        return node.asText();
    }

    /** {@link #text()}, required. */
    String requiredText() {
        String text = text();
        if (text == null || text.isBlank()) {
            throw error("is required");
        }
        return text;
    }

    /** This boolean; null if absent. */
    Boolean bool() {
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw error("must be true or false, not " + node);
        }
        return node.asBoolean();
    }

    /** This whole number; null if absent. */
    Long integer() {
        if (node == null) {
            return null;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            throw error("must be a whole number, not " + node);
        }
        return node.asLong();
    }

    /** This object's members as text ({@link #text()}), in order; null if absent. */
    Map<String, String> textMap() {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw error("must be an object, not " + kind());
        }
        var map = new LinkedHashMap<String, String>();
        node.fieldNames().forEachRemaining(name -> map.put(name, get(name).requiredPresentText()));
        return map;
    }

    /** This array's elements as text; null if absent. */
    List<String> textList() {
        if (node == null) {
            return null;
        }
        return elements().stream().map(SpecNode::requiredPresentText).toList();
    }

    /** The object kind, for callers that accept a scalar or an object. */
    boolean isObject() {
        return node != null && node.isObject();
    }

    /** The array kind, for callers that accept an object or an array. */
    boolean isArray() {
        return node != null && node.isArray();
    }

    /**
     * Runs {@code build}, turning its {@link IllegalArgumentException} into an error at this path (the contract's
     * constructors name the rule broken).
     */
    <T> T build(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** An invalid-spec error at this path: {@code path: message}. */
    InvalidRequestException error(String message) {
        String root = kind == InvalidRequestException.Kind.TRIGGER ? "the trigger" : "the spec";
        return new InvalidRequestException(kind, (path.isEmpty() ? root : path) + ": " + message);
    }

    private String requiredPresentText() {
        if (node == null) {
            throw error("must be a string, number or boolean, not null");
        }
        return text();
    }

    private String kind() {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
