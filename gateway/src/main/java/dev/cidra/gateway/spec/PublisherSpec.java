package dev.cidra.gateway.spec;

import dev.cidra.contract.Publisher;
import java.util.Map;
import java.util.Set;

/** A publisher as a job spec's task and a trigger's output write it: {@code {Type: s3 | local, Params: {...}}}. */
final class PublisherSpec {
    private static final Set<String> TYPE_AND_PARAMS = Set.of("Type", "Params");

    private PublisherSpec() {}

    /**
     * The publisher at {@code publisher}; null if absent.
     *
     * @throws InvalidRequestException naming the field path and the rule it breaks
     */
    static Publisher read(SpecNode publisher) {
        publisher.object(TYPE_AND_PARAMS);
        if (!publisher.present()) {
            return null;
        }
        String type = publisher.get("Type").requiredText();
        if (!type.equals(Publisher.S3) && !type.equals(Publisher.LOCAL)) {
            throw publisher
                    .get("Type")
                    .error("must be " + Publisher.S3 + " or " + Publisher.LOCAL + ", not \"" + type + "\"");
        }
        SpecNode params = publisher.get("Params");
        Map<String, String> values = params.textMap();
        return params.build(() -> new Publisher(type, values));
    }
}
