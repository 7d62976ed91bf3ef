package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --json}: a command prints the gateway's JSON answer as it is (for {@code jq} and scripts) instead of its
 * lines for people.
 */
final class JsonOutput {
    @Option(names = "--json", description = "Print the gateway's JSON answer as it is.")
    boolean json;

    /** Prints {@code answer} indented with {@code --json}, else as {@code lines} writes it; returns exit code 0. */
    int print(JsonNode answer, Consumer<JsonNode> lines) {
        if (json) {
            System.out.println(answer.toPrettyString());
        } else {
            lines.accept(answer);
        }
        return 0;
    }
}
