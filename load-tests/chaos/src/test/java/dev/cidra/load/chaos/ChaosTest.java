package dev.cidra.load.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced fault suite: {@code cidra up --gateways 2 --executors 2} from the jars this build made, one fault of each
 * kind at small counts, and nothing lost, duplicated or stuck. Writes its table to target/chaos-results.md.
 */
class ChaosTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("chaos.repository", "../.."));

    @TempDir
    Path dir;

    @Test
    void withTwoGatewaysAndTwoExecutorsNoFaultLosesDuplicatesOrStrandsAJobOrARecord() throws Exception {
        var platform = new LocalPlatform(cli(), dir.resolve("home"), freeBasePort());
        Instant started = Instant.now();

        ChaosRun.Outcome outcome = new ChaosRun(platform, Scale.REDUCED, System.err).run();

        String table = Report.markdown(outcome, started, "ChaosTest in the build");
        Files.writeString(REPOSITORY.resolve("load-tests/chaos/target/chaos-results.md"), table);
        for (String replica : List.of("gateway ", "gateway-2 ", "executor ", "executor-2 ")) {
            assertTrue(
                    outcome.statusAfterUp()
                            .lines()
                            .anyMatch(line -> line.startsWith(replica)
                                    && line.contains("running (pid ")
                                    && line.endsWith(", ready)")),
                    replica + "in " + outcome.statusAfterUp());
        }
        assertEquals(Scale.REDUCED.faults().size(), outcome.phases().size());
        assertTrue(outcome.jobs().accepted() > 0, table);
        assertTrue(outcome.records().sent() > 0, table);
        assertEquals(0, outcome.jobs().lost(), table);
        assertEquals(0, outcome.jobs().duplicated(), table);
        assertEquals(0, outcome.jobs().stuck(), table);
        assertEquals(0, outcome.jobs().resultsMissing(), table);
        assertEquals(0, outcome.records().lost(), table);
        assertEquals(0, outcome.records().duplicated(), table);
        assertEquals(0, outcome.records().wrong(), table);
        try (Stream<Path> files = Files.list(platform.home().resolve("run"))) {
            assertEquals(
                    List.of(),
                    files.map(file -> file.getFileName().toString())
                            .filter(name -> name.endsWith(".pid"))
                            .toList(),
                    "cidra down left pid files");
        }
    }

    /** The CLI as the ./cidra launcher runs it, from this build's jars (cli, gateway, executor, platform). */
    private static List<String> cli() throws IOException {
        Path cli = REPOSITORY.resolve("cli/target").toAbsolutePath().normalize();
        Path classpath = cli.resolve("classpath.txt");
        assertTrue(
                Files.isRegularFile(classpath), classpath + " is missing: build the CLI first (`./mvnw verify` does)");
        var command = new ArrayList<String>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockExperimentalVMOptions",
                "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + cli.resolve("graal-jit"),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Dcidra.platform.lib=" + cli.resolve("platform"),
                "-Dcidra.gateway.jar=" + jar("gateway"),
                "-Dcidra.executor.jar=" + jar("executor/service"),
                "-cp",
                cli.resolve("cidra-cli.jar") + ":"
                        + Files.readString(classpath, StandardCharsets.UTF_8).strip(),
                "dev.cidra.cli.Cidra"));
        return command;
    }

    private static Path jar(String module) {
        Path jar = REPOSITORY
                .resolve(module)
                .resolve("target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath()
                .normalize();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build the services first (`./mvnw verify` does)");
        return jar;
    }

    /** A base port whose seven platform ports (see {@link LocalPlatform}) are free now. */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (Stream.of(0, 1, 2, 10, 110, 20, 120).allMatch(offset -> free(base + offset))) {
                return base;
            }
        }
        throw new IllegalStateException("no free base port found in 20000..30000");
    }

    private static boolean free(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
