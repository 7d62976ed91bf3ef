package dev.cidra.gateway.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CloudEvents 1.0 event in structured-mode JSON whose {@code data} is a job spec: {@code specversion} 1.0, non-empty
 * {@code type}, {@code source} and {@code id}, {@code datacontenttype} absent or {@code application/json}, and the
 * spec as a JSON object in {@code data}. Other attributes (extensions included) are allowed and ignored.
 *
 * @param id the event's {@code id}
 * @param data the job spec
 */
public record CloudEvent(String id, JsonNode data) {
    private static final List<String> REQUIRED = List.of("type", "source", "id");

    /**
     * The envelope {@code root} is, or empty if it is no CloudEvent (has no {@code specversion}): then it is a spec.
     *
     * @throws InvalidRequestException naming the attribute that breaks the rules
     */
    public static Optional<CloudEvent> unwrap(JsonNode root) {
        if (!root.has("specversion")) {
            return Optional.empty();
        }
        SpecNode event = new SpecNode(root, "");
        String version = event.get("specversion").requiredText();
        if (!version.equals("1.0")) {
            throw event.get("specversion").error("only CloudEvents 1.0 is supported, not \"" + version + "\"");
        }
        REQUIRED.forEach(name -> event.get(name).requiredText());
        SpecNode contentType = event.get("datacontenttype");
        String type = contentType.text();
        if (type != null && !type.toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?")) {
            throw contentType.error("must be application/json (the spec as JSON in data), not \"" + type + "\"");
        }
        if (event.get("data_base64").present()) {
            throw event.get("data_base64").error("is not supported; put the spec as JSON in data");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw event.get("data")
                    .error("must be the job spec as a JSON object, not "
                            + (data == null
                                    ? "absent"
                                    : data.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return Optional.of(new CloudEvent(event.get("id").requiredText(), data));
    }
}
