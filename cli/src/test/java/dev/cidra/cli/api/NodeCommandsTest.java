package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.cli.CidraProcess.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cidra node ...} against the real local platform: its executor announces itself. */
class NodeCommandsTest {
    @TempDir
    Path dir;

    @Test
    void theExecutorIsListedAndDescribed() throws Exception {
        var cli = new PlatformCli(dir);
        Run list = cli.run("node", "list", "--json");
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (new ObjectMapper().readTree(list.stdout()).path("nodes").isEmpty()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            list = cli.run("node", "list", "--json");
        }
        assertEquals(0, list.exit(), list.stderr());
        var node = new ObjectMapper().readTree(list.stdout()).path("nodes").path(0);
        String id = node.path("nodeId").asText();
        assertEquals("COMPILED", node.path("engineMode").asText(), list.stdout());

        Run lines = cli.run("node", "list");
        assertEquals(0, lines.exit(), lines.stderr());
        assertTrue(lines.stdout().startsWith("NODE  ENGINE  RUNNING/SLOTS  LINKED  LABELS\n"), lines.stdout());
        assertTrue(lines.stdout().contains("\n" + id + "  GraalVM CE (COMPILED)  "), lines.stdout());

        Run describe = cli.run("node", "describe", id);
        assertEquals(0, describe.exit(), describe.stderr());
        assertTrue(describe.stdout().contains("\"nodeId\" : \"" + id + "\""), describe.stdout());
        assertTrue(describe.stdout().contains("\"heartbeatAt\""), describe.stdout());

        Run unknown = cli.run("node", "describe", "no-such-node");
        assertEquals(1, unknown.exit());
        assertEquals(
                "cidra: no live node no-such-node is known (an executor that stopped is gone within seconds)\n",
                unknown.stderr());
    }
}
