package dev.cidra.gateway.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.Trigger;
import dev.cidra.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trigger definition, the body of {@code POST /v1/triggers}:
 *
 * <pre>{@code
 * {name, topic, module (CID), entrypoint?, args?, env? ({NAME: value} or ["NAME=value"]), headers? ([name]),
 *  output: {topic} or {publisher: {Type, Params} as in a job spec}, concurrency? (1), retry?: {maxAttempts? (3),
 *  backoff? ("1s")}, deadLetterTopic? (cidra.dead-letter), memory? ("64Mi"), timeout? ("30s")}
 * }</pre>
 *
 * Every error names the field's path. Thread-safe.
 */
@Singleton
public class TriggerSpecReader {
    static final int DEFAULT_CONCURRENCY = 1;
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

    private static final Set<String> FIELDS = Set.of(
            "name",
            "topic",
            "module",
            "entrypoint",
            "args",
            "env",
            "headers",
            "output",
            "concurrency",
            "retry",
            "deadLetterTopic",
            "memory",
            "timeout");
    private static final Set<String> OUTPUT = Set.of("topic", "publisher");
    private static final Set<String> RETRY = Set.of("maxAttempts", "backoff");

    private final SpecDefaults defaults;

    TriggerSpecReader(GatewayConfig config) {
        this.defaults = SpecDefaults.of(config);
    }

    /**
     * The trigger a definition describes, with the id and time the gateway assigned and no start offsets yet.
     *
     * @throws InvalidRequestException naming the field path and the rule it breaks
     */
    public Trigger read(JsonNode root, String id, Instant createdAt) {
        SpecNode trigger = new SpecNode(root, "", InvalidRequestException.Kind.TRIGGER).object(FIELDS);
        String name = trigger.get("name").requiredText();
        String topic = trigger.get("topic").requiredText();
        String module = ModuleCids.required(trigger.get("module"));
        String entrypoint = trigger.get("entrypoint").text();
        List<String> args = trigger.get("args").textList();
        Map<String, String> env = EnvironmentVariables.read(trigger.get("env"));
        List<String> headers = trigger.get("headers").textList();
        SpecNode outputNode = trigger.get("output").object(OUTPUT);
        if (!outputNode.present()) {
            throw outputNode.error(
                    "is required: {\"topic\": ...} or {\"publisher\": {\"Type\": ..., \"Params\": ...}}");
        }
        String outputTopic = outputNode.get("topic").text();
        Publisher publisher = PublisherSpec.read(outputNode.get("publisher"));
        SpecNode concurrencyNode = trigger.get("concurrency");
        Long concurrency = concurrencyNode.integer();
        if (concurrency != null && (concurrency < 1 || concurrency > Trigger.MAX_CONCURRENCY)) {
            throw concurrencyNode.error("must be between 1 and " + Trigger.MAX_CONCURRENCY + ", not " + concurrency);
        }
        Trigger.Retry retry = retry(trigger.get("retry"));
        String deadLetterTopic = trigger.get("deadLetterTopic").text();
        SpecNode memoryNode = trigger.get("memory");
        long memory = memoryNode.present()
                ? memoryNode.build(() -> Quantities.bytes(memoryNode.text(), "memory"))
                : defaults.memoryBytes();
        Duration timeout = timeout(trigger.get("timeout"));
        try {
            return new Trigger(
                    name,
                    id,
                    createdAt,
                    topic,
                    module,
                    entrypoint,
                    args,
                    env,
                    headers,
                    new Trigger.Output(outputTopic, publisher),
                    concurrency == null ? DEFAULT_CONCURRENCY : concurrency.intValue(),
                    retry,
                    deadLetterTopic,
                    memory,
                    timeout.toMillis(),
                    null);
        } catch (IllegalArgumentException e) {
            // The contract's messages start with the field's path.
            throw new InvalidRequestException(InvalidRequestException.Kind.TRIGGER, e.getMessage());
        }
    }

    private static Trigger.Retry retry(SpecNode retry) {
        retry.object(RETRY);
        SpecNode attemptsNode = retry.get("maxAttempts");
        Long attempts = attemptsNode.integer();
        if (attempts != null && (attempts < 1 || attempts > Trigger.MAX_ATTEMPTS)) {
            throw attemptsNode.error("must be between 1 and " + Trigger.MAX_ATTEMPTS + ", not " + attempts);
        }
        SpecNode backoffNode = retry.get("backoff");
        Duration backoff =
                backoffNode.present() ? backoffNode.build(() -> backoff(backoffNode.text())) : DEFAULT_BACKOFF;
        if (backoff.toMillis() > Trigger.MAX_BACKOFF_MILLIS) {
            throw backoffNode.error(
                    "must be at most " + Duration.ofMillis(Trigger.MAX_BACKOFF_MILLIS) + ", not " + backoffNode.text());
        }
        return new Trigger.Retry(attempts == null ? DEFAULT_MAX_ATTEMPTS : attempts.intValue(), backoff.toMillis());
    }

    /** A backoff may be zero, which {@link Quantities#duration} (positive durations) refuses. */
    private static Duration backoff(String text) {
        return text.equals("0") ? Duration.ZERO : Quantities.duration(text, "backoff");
    }

    private Duration timeout(SpecNode node) {
        if (!node.present()) {
            return defaults.timeout();
        }
        Duration timeout = node.build(() -> Quantities.duration(node.text(), "timeout"));
        if (timeout.compareTo(defaults.maxTimeout()) > 0) {
            throw node.error("must be at most " + defaults.maxTimeout() + ", not " + node.text());
        }
        return timeout;
    }
}
