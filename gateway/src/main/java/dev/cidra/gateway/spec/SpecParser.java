package dev.cidra.gateway.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Reads the body of a request that carries a spec (a job spec, a trigger definition): at most so many bytes, JSON or
 * YAML by its media type, an object at the root. The readers ({@link JobSpecReader}, {@link TriggerSpecReader}) take the
 * tree from here. Thread-safe.
 */
@Singleton
public class SpecParser {
    private final ObjectMapper json;
    private final YAMLMapper yaml = new YAMLMapper();

    SpecParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Parses a JSON or YAML body that must be an object, {@code what} (e.g. "a trigger"); errors are of {@code kind}.
     *
     * @param isYaml whether the body is YAML rather than JSON
     * @throws InvalidRequestException if it is not well-formed or not an object
     */
    public JsonNode parse(byte[] body, boolean isYaml, InvalidRequestException.Kind kind, String what) {
        JsonNode root;
        try {
            root = isYaml ? yaml.readTree(body) : json.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new InvalidRequestException(
                    kind,
                    "malformed " + (isYaml ? "YAML" : "JSON")
                            + (location == null
                                    ? ""
                                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr())
                            + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            // Not text in an encoding JSON allows (UTF-8, -16, -32): the body is in memory, so nothing else fails.
            throw new InvalidRequestException(
                    kind, "malformed " + (isYaml ? "YAML" : "JSON") + ": not Unicode text: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SpecNode(null, "", kind)
                    .error("must be an object (" + what + "), not " + (root == null ? "empty" : root));
        }
        return root;
    }

    /** Whether a body of {@code mediaType} is YAML ({@code application/yaml} and its aliases); else it is JSON. */
    public static boolean isYaml(String mediaType) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/yaml")
                || type.startsWith("application/x-yaml")
                || type.startsWith("text/yaml");
    }

    /**
     * Reads a request body of at most {@code max} bytes.
     *
     * @param what names the body in messages, e.g. "the job spec"
     * @throws InvalidRequestException if it has more
     * @throws UncheckedIOException if it cannot be read
     */
    public static byte[] read(InputStream body, int max, String what) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + ": " + e.getMessage(), e);
        }
        if (bytes.length > max) {
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.BODY_TOO_LARGE, what + " has more than " + max + " bytes, the limit");
        }
        return bytes;
    }
}
