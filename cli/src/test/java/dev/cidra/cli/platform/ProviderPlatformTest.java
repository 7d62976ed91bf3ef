package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import dev.cidra.cli.api.ModuleSource;
import dev.cidra.registry.Cid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform with two kinds of executor, as {@code cidra up --providers 2 --provides DIR} starts it: {@code executor}
 * serves the module store, {@code executor-2} and {@code executor-3} (nodes {@code local-executor-2} and
 * {@code -3}) provide the modules of DIR. The provided modules are the {@code import-by-cid} case (its entry and its
 * library) and the end of the {@code import-chain} case, whose first two modules are in the store.
 */
class ProviderPlatformTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    private static final Set<String> PROVIDERS = Set.of("local-executor-2", "local-executor-3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private URI gateway;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void providedModulesRunOnlyOnProvidersFailOverAndFailFastWhenNoneIsLive() throws Exception {
        Path provided = Files.createDirectory(dir.resolve("provided"));
        String entry = provide(provided, "import-by-cid/module.wasm");
        String lib = provide(provided, "import-by-cid/store/lib.wasm");
        provide(provided, "import-chain/store/c.wasm");
        var platform = new TestPlatform(dir.resolve("home"));
        var cidra = new CidraProcess(dir, TestPlatform.servicesJvmOptions(), TIMEOUT);
        var args = new ArrayList<>(List.of(platform.upArgs(true)));
        args.addAll(List.of("--providers", "2", "--provides", provided.toString()));
        try {
            Run up = cidra.run(args.toArray(String[]::new));
            assertEquals(0, up.exit(), up.stderr() + up.stdout());
            gateway = platform.ports.gatewayUri();
            token = LocalCredentials.of(platform.home).adminToken().orElseThrow();
            String chain = upload("import-chain/module.wasm");
            upload("import-chain/store/b.wasm");
            String hello = upload("hello/module.wasm");
            await("both providers announced", () -> providers().size() == 2);

            var direct = invoke(entry);
            assertEquals(200, direct.statusCode(), direct.body());
            assertEquals("add(40, 2) = 42\n", direct.body());
            String first = node(direct);
            assertTrue(PROVIDERS.contains(first), first);

            var transitive = invoke(chain);
            assertEquals(200, transitive.statusCode(), transitive.body());
            assertEquals("answer = 42\n", transitive.body());
            assertTrue(PROVIDERS.contains(node(transitive)), node(transitive));

            var shared = invoke(hello);
            assertEquals(200, shared.statusCode(), shared.body());
            assertEquals("local-executor-1", node(shared), "a module of the store runs on the store's executor");

            String jobNode = jobNode(entry);
            assertTrue(PROVIDERS.contains(jobNode), jobNode);

            var content = send(HttpRequest.newBuilder(gateway.resolve("/v1/modules/" + lib + "/content")));
            assertEquals(404, content.statusCode(), content.body());
            assertEquals(
                    "application/problem+json",
                    content.headers().firstValue("Content-Type").orElse(""));
            assertTrue(
                    JSON.readTree(content.body())
                            .get("detail")
                            .asText()
                            .startsWith("module " + lib + " is served only by provider nodes"),
                    content.body());

            // SIGKILL the provider that ran the first call: its consumer group hands the set's partitions over.
            kill(platform, first);
            var failedOver = invoke(entry);
            assertEquals(200, failedOver.statusCode(), failedOver.body());
            String second = node(failedOver);
            assertTrue(PROVIDERS.contains(second), second);
            assertNotEquals(first, second);

            kill(platform, second);
            await("no live provider", () -> providers().isEmpty());
            var none = invoke(chain);
            assertEquals(503, none.statusCode(), none.body());
            assertEquals(
                    "tag:cidra.dev,2026:problems/no-provider",
                    JSON.readTree(none.body()).get("type").asText());
            String detail = JSON.readTree(none.body()).get("detail").asText();
            assertTrue(detail.startsWith("module " + chain + " imports "), detail);
            assertTrue(detail.contains("none is live (the last to offer it was node local-executor-"), detail);

            aMismatchedProvidedFileStopsTheExecutorNamingIt(platform);
        } finally {
            cidra.run("down", "--home", platform.home.toString());
        }
    }

    /** An executor whose provided file's bytes are not its name's CID exits at startup, naming the file. */
    private void aMismatchedProvidedFileStopsTheExecutorNamingIt(TestPlatform platform) throws Exception {
        Path bad = Files.createDirectory(dir.resolve("bad"));
        byte[] lib = Files.readAllBytes(Guests.CASES.resolve("import-by-cid/store/lib.wasm"));
        Path file =
                Files.write(bad.resolve(Cid.rawOf("not these bytes".getBytes(StandardCharsets.UTF_8)) + ".wasm"), lib);
        var service = new ExecutorNodeService(
                PlatformHome.of(platform.home),
                platform.ports,
                Path.of(System.getProperty(UpCommand.EXECUTOR_JAR_PROPERTY)),
                4,
                URI.create(ModuleSource.DEFAULT_IPFS_GATEWAY),
                List.of(),
                java.util.Optional.of(bad));
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(service.jvmArguments());
        Path log = dir.resolve("bad-executor.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the executor did not stop");
        assertNotEquals(0, process.exitValue());
        String output = Files.readString(log);
        assertTrue(
                output.contains("cidra.executor.provides-dir: " + file + " is not the module its name says"), output);
    }

    /** Copies a conformance case's module into {@code provided} as {@code <cid>.wasm}; returns the CID. */
    private static String provide(Path provided, String module) throws IOException {
        byte[] bytes = Files.readAllBytes(Guests.CASES.resolve(module));
        String cid = Cid.rawOf(bytes).toString();
        Files.write(provided.resolve(cid + ".wasm"), bytes);
        return cid;
    }

    private String upload(String module) throws Exception {
        var response = send(HttpRequest.newBuilder(gateway.resolve("/v1/modules"))
                .header("Content-Type", "application/wasm")
                .POST(HttpRequest.BodyPublishers.ofFile(Guests.CASES.resolve(module))));
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.body());
        return JSON.readTree(response.body()).get("cid").asText();
    }

    private HttpResponse<String> invoke(String cid) throws Exception {
        return send(HttpRequest.newBuilder(gateway.resolve("/v1/functions/" + cid + "/invoke"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String node(HttpResponse<String> reply) {
        return reply.headers().firstValue("Cidra-Node-Id").orElse("(none)");
    }

    /** Submits a job of {@code cid} and returns the node its execution completed on. */
    private String jobNode(String cid) throws Exception {
        var accepted = send(HttpRequest.newBuilder(gateway.resolve("/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\":"
                        + " \"wasm\", \"Params\": {\"EntryModule\": \"" + cid + "\"}}}]}")));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).get("jobID").asText();
        JsonNode[] job = new JsonNode[1];
        await("job " + id + " completed", () -> {
            job[0] = JSON.readTree(send(HttpRequest.newBuilder(gateway.resolve("/v1/jobs/" + id)))
                    .body());
            return job[0].get("state").asText().equals("completed");
        });
        return job[0].get("executions").get(0).get("nodeID").asText();
    }

    /** The live nodes the gateway knows that announce provided modules. */
    private List<String> providers() throws Exception {
        var nodes = JSON.readTree(
                send(HttpRequest.newBuilder(gateway.resolve("/v1/nodes"))).body());
        var providers = new ArrayList<String>();
        nodes.get("nodes").forEach(node -> {
            if (!node.path("providedModules").isEmpty()) {
                providers.add(node.get("nodeId").asText());
            }
        });
        return providers;
    }

    private static void kill(TestPlatform platform, String nodeId) throws Exception {
        var replica = new Replica(Component.EXECUTOR, Integer.parseInt(nodeId.substring("local-executor-".length())));
        var process = ProcessHandle.of(
                        PidFile.read(PlatformHome.of(platform.home).pidFile(replica))
                                .orElseThrow()
                                .pid())
                .orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(
                request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within 60 s");
            }
            Thread.sleep(250);
        }
    }
}
