package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results as content and re-execution checks on a local platform of two executors ({@code cidra up --executors 2}),
 * through the CLI as a user types it.
 */
class ReExecutionPlatformTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(420); // two executors start one after the other
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID = Pattern.compile("job (j-[0-9a-f-]+): ");
    /** Prints the clocks and 16 random bytes: the same bytes in deterministic mode, different ones live. */
    private static final Path ENTROPY =
            Path.of("../executor/service/src/test/resources/jobs/entropy.wasm").toAbsolutePath();

    @TempDir
    Path dir;

    private TestPlatform platform;

    @AfterEach
    void down() throws Exception {
        if (platform != null) {
            cidra().run("down", "--home", platform.home.toString());
        }
    }

    private CidraProcess cidra() {
        return new CidraProcess(dir, TestPlatform.servicesJvmOptions(), TIMEOUT);
    }

    /** Runs a command against the test platform: {@code --home} goes before a {@code --} (the guest's arguments). */
    private Run run(String... args) throws IOException, InterruptedException {
        var withHome = new ArrayList<>(List.of(args));
        int guest = withHome.indexOf("--");
        withHome.addAll(guest < 0 ? withHome.size() : guest, List.of("--home", platform.home.toString()));
        return cidra().run(withHome.toArray(String[]::new));
    }

    private String put(Path module) throws IOException, InterruptedException {
        Run put = run("module", "put", module.toString());
        assertEquals(0, put.exit(), put.stderr());
        return put.stdout().strip();
    }

    /** Runs a YAML spec to its end; the ended job as the gateway describes it. */
    private JsonNode job(String yaml) throws IOException, InterruptedException {
        Path spec = Files.writeString(Files.createTempFile(dir, "job", ".yaml"), yaml);
        Run run = run("job", "run", spec.toString());
        var matcher = JOB_ID.matcher(run.stderr());
        assertTrue(matcher.find(), run.stderr());
        return describe(matcher.group(1));
    }

    private JsonNode describe(String jobId) throws IOException, InterruptedException {
        Run describe = run("job", "describe", jobId, "--json");
        assertEquals(0, describe.exit(), describe.stderr());
        return JSON.readTree(describe.stdout());
    }

    private static String entropySpec(String cid, int count, boolean deterministic) {
        return """
                Count: %d
                Tasks:
                  - Name: entropy
                    Engine: {Type: wasm, Params: {EntryModule: %s, Deterministic: %s}}
                    Publisher: {Type: local}
                """.formatted(count, cid, deterministic);
    }

    @Test
    void resultsPassByCidAndCountedExecutionsAreComparedOnDistinctExecutors() throws Exception {
        platform = new TestPlatform(dir.resolve("home"));
        var up = new ArrayList<>(List.of(platform.upArgs(true)));
        up.addAll(List.of("--executors", "2"));
        Run started = cidra().run(up.toArray(String[]::new));
        assertEquals(0, started.exit(), started.stderr());
        String entropy = put(ENTROPY);
        String wordcount = put(Guests.WORDCOUNT);

        // A deterministic Count 2: two executions on the two executors, one CID, verified.
        JsonNode verified = job(entropySpec(entropy, 2, true));
        assertEquals("completed", verified.path("state").asText(), verified.toString());
        assertTrue(verified.path("verified").asBoolean(), verified.toString());
        var nodes = new HashSet<String>();
        var cids = new HashSet<String>();
        for (JsonNode execution : verified.path("executions")) {
            nodes.add(execution.path("nodeID").asText());
            cids.add(execution.path("result").path("CID").asText());
        }
        assertEquals(2, nodes.size(), "two distinct executors: " + verified);
        assertEquals(List.of(verified.path("result").path("CID").asText()), List.copyOf(cids));
        Run described = run("job", "describe", verified.path("jobID").asText());
        assertTrue(described.stdout().contains("\nVerified   true\n"), described.stdout());

        // The same guest live reads real clocks and random bytes: the executions disagree, each result is kept.
        JsonNode mismatch = job(entropySpec(entropy, 2, false));
        assertEquals("failed", mismatch.path("state").asText(), mismatch.toString());
        assertEquals(false, mismatch.path("verified").asBoolean(true), mismatch.toString());
        String first =
                mismatch.path("executions").get(0).path("result").path("CID").asText();
        String second =
                mismatch.path("executions").get(1).path("result").path("CID").asText();
        assertNotEquals(first, second);
        assertTrue(mismatch.path("verdict").asText().startsWith("the executions disagree: "), mismatch.toString());
        assertTrue(mismatch.path("verdict").asText().contains(first), mismatch.toString());
        assertTrue(mismatch.path("verdict").asText().contains(second), mismatch.toString());

        // More executions than live executors: refused at once, naming them.
        Path three = Files.writeString(dir.resolve("three.yaml"), entropySpec(entropy, 3, true));
        Run refused = run("job", "run", three.toString());
        assertEquals(1, refused.exit(), refused.stderr());
        assertTrue(
                refused.stderr()
                        .matches("cidra: Count 3 needs 3 distinct live executors that can run the job; 2 are live"
                                + " \\(.+, .+\\)\n"),
                refused.stderr());

        // A deterministic job run once is verified on the other executor.
        JsonNode once = job(entropySpec(entropy, 1, true));
        Run verify = run("job", "verify", once.path("jobID").asText());
        assertEquals(0, verify.exit(), verify.stderr());
        assertTrue(verify.stdout().startsWith("match: "), verify.stdout());
        assertTrue(verify.stdout().contains(once.path("result").path("CID").asText()), verify.stdout());
        String ranOn = once.path("executions").get(0).path("nodeID").asText();
        assertTrue(!verify.stdout().contains(" on " + ranOn + " "), "another executor: " + verify.stdout());

        // Job 2 reads a file of job 1's result by CID: served from the platform's content store, not the client.
        JsonNode producer = job(entropySpec(entropy, 1, true));
        String cid = producer.path("result").path("CID").asText();
        Run consumer = run(
                "wasm", "run", "-i", "ipfs://" + cid + "/stdout,dst=/in/stdout", "-p", "local", wordcount, "--", "/in");
        assertEquals(0, consumer.exit(), consumer.stderr());
        assertTrue(consumer.stdout().startsWith("1 files: "), consumer.stdout());
        assertTrue(consumer.stdout().endsWith(" 32\n"), "the 32 bytes entropy printed: " + consumer.stdout());
        Run unknown = run("wasm", "run", "-i", "ipfs://" + entropy + "/stdout,dst=/in", wordcount, "--", "/in");
        assertEquals(125, unknown.exit(), unknown.stderr());
        assertTrue(
                unknown.stderr()
                        .contains("no result of this tenant has the CID " + entropy
                                + ", and a path after a CID is only resolved in the results this platform keeps"),
                unknown.stderr());
    }
}
