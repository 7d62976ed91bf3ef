package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cidra node}: the live executors, as Bacalhau's {@code node list} and {@code node describe} show them. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "The executors of the platform (GET /v1/nodes): each announces itself every few seconds and is"
                + " gone from the list within seconds of stopping.",
        footer = {"", "Examples:", "  cidra node list", "  cidra node describe executor-1"},
        subcommands = {NodeCommand.ListNodes.class, NodeCommand.Describe.class, CommandLine.HelpCommand.class})
public final class NodeCommand {
    private static final String PATH = "/v1/nodes";

    /** {@code cidra node list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the live nodes, one line each: id, engine and mode, running/slots, linked modules,"
                    + " labels.",
            footer = {"", "Examples:", "  cidra node list", "  cidra node list --json | jq '.nodes[].nodeId'"})
    static final class ListNodes implements Callable<Integer> {
        @Mixin
        JsonOutput output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                return output.print(gateway.getJson(PATH), listing -> {
                    System.out.println("NODE  ENGINE  RUNNING/SLOTS  LINKED  LABELS");
                    for (JsonNode node : listing.path("nodes")) {
                        System.out.println(summary(node));
                    }
                });
            }
        }
    }

    /** {@code cidra node describe}. */
    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Print a node's announcement (JSON): version, engine, labels, linked and provided modules,"
                    + " load, start and last heartbeat.",
            footer = {"", "Examples:", "  cidra node describe executor-1"})
    static final class Describe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The node's id.")
        String id;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                System.out.println(
                        gateway.getJson(PATH + "/" + Gateway.encode(id)).toPrettyString());
                return 0;
            }
        }
    }

    /** {@code ID  ENGINE (MODE)  RUNNING/SLOTS  N  K=V,...}. */
    static String summary(JsonNode node) {
        List<String> labels = new ArrayList<>();
        node.path("labels")
                .properties()
                .forEach(label ->
                        labels.add(label.getKey() + "=" + label.getValue().asText()));
        return node.path("nodeId").asText() + "  " + node.path("engine").asText() + " ("
                + node.path("engineMode").asText() + ")  "
                + node.path("running").asInt() + "/"
                + node.path("slots").asInt() + "  " + node.path("linkedModules").size() + "  "
                + (labels.isEmpty() ? "-" : String.join(",", labels));
    }
}
