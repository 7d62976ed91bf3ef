package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cidra trigger}: functions run on every record of a Kafka topic. */
@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = "Bind Kafka topics to functions (POST/GET/DELETE /v1/triggers): every record produced to the"
                + " topic runs the module with the value as stdin and the key as CIDRA_KEY; stdout becomes a record"
                + " with the same key on the output topic.",
        footer = {
            "",
            "Examples:",
            "  cidra trigger create wc --topic texts --module wordcount.wasm --output-topic counts",
            "  cidra trigger list",
            "  cidra trigger stats wc",
            "  cidra trigger delete wc"
        },
        subcommands = {
            TriggerCommand.Create.class,
            TriggerCommand.ListTriggers.class,
            TriggerCommand.Describe.class,
            TriggerCommand.Stats.class,
            TriggerCommand.Delete.class,
            CommandLine.HelpCommand.class
        })
public final class TriggerCommand {
    private static final String PATH = "/v1/triggers";

    /** {@code cidra trigger create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Define a trigger. It runs every record produced to --topic from now on; missing topics are"
                    + " created. Prints the trigger's name, source, output and where it starts.",
            footer = {
                "",
                "Examples:",
                "  cidra trigger create wc --topic texts --module wordcount.wasm --output-topic counts",
                "  cidra trigger create thumbs --topic uploads --module bafkrei... --header content-type \\",
                "      -p 's3://results/thumbs/{jobID}' --max-attempts 5 --backoff 2s --dead-letter-topic uploads.dlq",
                "  cidra trigger create grep --topic logs --module grep.wasm --output-topic errors -- -i error"
            })
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name: [A-Za-z0-9._-], 1-100.")
        String name;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "Guest arguments (after --).")
        List<String> args = new ArrayList<>();

        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic whose records run.")
        String topic;

        @Option(
                names = {"-m", "--module"},
                required = true,
                paramLabel = "MODULE",
                description = "A local .wasm (uploaded first), a CID, or " + ModuleSource.FORMS + ".")
        String module;

        @ArgGroup(multiplicity = "1")
        Output output;

        static final class Output {
            @Option(
                    names = "--output-topic",
                    paramLabel = "TOPIC",
                    description = "Where stdout goes, as a record with the input's key.")
            String topic;

            @Option(
                    names = {"-p", "--publisher"},
                    paramLabel = "local|s3://BUCKET/KEY",
                    description = "Publish each run's stdout, stderr and exitCode instead, as a job's result (key"
                            + " template placeholders {jobID}, {executionID}, {nodeID}, {date}, {time}).")
            String publisher;
        }

        @Option(names = "--entrypoint", paramLabel = "NAME", description = "The exported function to call.")
        String entrypoint;

        @Option(
                names = {"-e", "--env"},
                paramLabel = "K=V",
                description = "Guest environment variable (repeatable); CIDRA_* names are the record's.")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(
                names = "--header",
                paramLabel = "NAME",
                description = "A record header passed as CIDRA_HEADER_<NAME> (repeatable).")
        List<String> headers = new ArrayList<>();

        @Option(
                names = "--concurrency",
                paramLabel = "N",
                description = "Records of different partitions one executor runs at once. Default: 1.")
        Integer concurrency;

        @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts per record. Default: 3.")
        Integer maxAttempts;

        @Option(
                names = "--backoff",
                paramLabel = "DURATION",
                description = "Wait before the second attempt, doubled for each further one. Default: 1s.")
        String backoff;

        @Option(
                names = "--dead-letter-topic",
                paramLabel = "TOPIC",
                description = "Where a record goes once every attempt failed. Default: cidra.dead-letter.")
        String deadLetterTopic;

        @Option(names = "--memory", paramLabel = "SIZE", description = "The guest's memory cap, e.g. 64Mi.")
        String memory;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Each attempt's time cap, e.g. 30s.")
        String timeout;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                ObjectNode body = Gateway.JSON.createObjectNode();
                body.put("name", name).put("topic", topic);
                body.put("module", gatewayOption.modules(gateway).resolve(module));
                if (entrypoint != null) {
                    body.put("entrypoint", entrypoint);
                }
                args.forEach(body.putArray("args")::add);
                env.forEach(body.putObject("env")::put);
                headers.forEach(body.putArray("headers")::add);
                ObjectNode out = body.putObject("output");
                if (output.topic != null) {
                    out.put("topic", output.topic);
                } else {
                    out.set("publisher", WasmCommand.publisher(output.publisher));
                }
                if (concurrency != null) {
                    body.put("concurrency", concurrency);
                }
                if (maxAttempts != null || backoff != null) {
                    ObjectNode retry = body.putObject("retry");
                    if (maxAttempts != null) {
                        retry.put("maxAttempts", maxAttempts);
                    }
                    if (backoff != null) {
                        retry.put("backoff", backoff);
                    }
                }
                if (deadLetterTopic != null) {
                    body.put("deadLetterTopic", deadLetterTopic);
                }
                if (memory != null) {
                    body.put("memory", memory);
                }
                if (timeout != null) {
                    body.put("timeout", timeout);
                }
                JsonNode trigger = gateway.sendJson(
                        gateway.request(PATH)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(Gateway.JSON.writeValueAsBytes(body))),
                        201);
                System.out.println(summary(trigger));
                return 0;
            }
        }
    }

    /** {@code cidra trigger list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the triggers, one line each: name, topic -> output, module.",
            footer = {"", "Examples:", "  cidra trigger list", "  cidra trigger list --json | jq '.triggers[].name'"})
    static final class ListTriggers implements Callable<Integer> {
        @Mixin
        JsonOutput output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                return output.print(gateway.getJson(PATH), listing -> {
                    for (JsonNode trigger : listing.path("triggers")) {
                        System.out.println(summary(trigger));
                    }
                });
            }
        }
    }

    /** {@code cidra trigger describe}. */
    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Print a trigger as the platform keeps it (JSON: defaults, id, start offsets).",
            footer = {"", "Examples:", "  cidra trigger describe wc"})
    static final class Describe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                System.out.println(
                        gateway.getJson(PATH + "/" + Gateway.encode(name)).toPrettyString());
                return 0;
            }
        }
    }

    /** {@code cidra trigger stats}. */
    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = "How a trigger is doing: records consumed and lag per partition of its topic (from Kafka),"
                    + " and what the live executors did with its records since they started.",
            footer = {"", "Examples:", "  cidra trigger stats wc", "  cidra trigger stats wc --json"})
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Mixin
        JsonOutput output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                return output.print(
                        gateway.getJson(PATH + "/" + Gateway.encode(name) + "/stats"),
                        stats -> System.out.print(stats(stats)));
            }
        }

        /** The stats as lines: the totals, one line per partition, the executors' counts. */
        static String stats(JsonNode stats) {
            var text = new StringBuilder(String.format(
                    "%s  consumed %d  lag %d%n",
                    stats.path("name").asText(),
                    stats.path("consumed").asLong(),
                    stats.path("lag").asLong()));
            for (JsonNode partition : stats.path("partitions")) {
                text.append(String.format(
                        "  partition %d  committed %d of %d  lag %d%n",
                        partition.path("partition").asInt(),
                        partition.path("committed").asLong(),
                        partition.path("end").asLong(),
                        partition.path("lag").asLong()));
            }
            var nodes = new ArrayList<String>();
            stats.path("nodes").forEach(node -> nodes.add(node.asText()));
            text.append(String.format(
                    "succeeded %d  dead-lettered %d  failed attempts %d  (live executors since they started: %s)%n",
                    stats.path("succeeded").asLong(),
                    stats.path("deadLettered").asLong(),
                    stats.path("failedAttempts").asLong(),
                    nodes.isEmpty() ? "none ran it" : String.join(", ", nodes)));
            return text.toString();
        }
    }

    /** {@code cidra trigger delete}. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a trigger: executors stop running it within seconds. The topics stay.",
            footer = {"", "Examples:", "  cidra trigger delete wc"})
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The trigger's name.")
        String name;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                gateway.send(
                        gateway.request(PATH + "/" + Gateway.encode(name)).DELETE(),
                        HttpResponse.BodyHandlers.ofByteArray(),
                        204);
                System.out.println("deleted trigger " + name);
                return 0;
            }
        }
    }

    /** {@code NAME  TOPIC -> OUTPUT  MODULE}. */
    private static String summary(JsonNode trigger) {
        JsonNode output = trigger.path("output");
        String to = output.hasNonNull("topic")
                ? output.get("topic").asText()
                : "publisher " + output.path("publisher").path("type").asText();
        return trigger.path("name").asText() + "  " + trigger.path("topic").asText() + " -> " + to + "  "
                + trigger.path("module").asText();
    }
}
