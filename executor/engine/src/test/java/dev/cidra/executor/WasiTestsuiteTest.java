package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every program of the vendored WebAssembly WASI test suite (preview 1; {@code
 * src/test/resources/wasi-testsuite}, origin in its README.md) as a user runs a module: one {@link WasmRuntime}, the
 * program's {@code args} and {@code env} from its JSON specification, its {@code root} directory copied fresh and
 * mounted read-write at {@code /}, stdin empty; {@code *.cleanup} files removed first. Exit code and stdout must be
 * what the specification says ({@code exit_code} default 0; stdout is compared when the specification gives one, as
 * the suite's own runner does: {@code path_open_preopen} prints the rights it saw without naming an expected stdout). The programs listed in
 * {@code exclusions.txt} must still fail, so a fixed program has to leave that list. Every program runs twice: as is,
 * and in deterministic mode.
 */
class WasiTestsuiteTest {
    static final Path SUITE = Path.of("src/test/resources/wasi-testsuite");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WasmRuntime runtime;

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() {
        runtime = WasmRuntime.builder().build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @TestFactory
    Stream<DynamicTest> programs() throws IOException {
        return run(false);
    }

    /** The same programs in deterministic mode: fixed clocks, seeded random bytes and fixed file times break none. */
    @TestFactory
    Stream<DynamicTest> programsInDeterministicMode() throws IOException {
        return run(true);
    }

    private Stream<DynamicTest> run(boolean deterministic) throws IOException {
        List<Path> programs;
        try (Stream<Path> walk = Files.walk(SUITE.resolve("tests"))) {
            programs = walk.filter(p -> p.toString().endsWith(".wasm")
                            && p.getParent().getFileName().toString().equals("wasm32-wasip1"))
                    .sorted()
                    .toList();
        }
        assertEquals(72, programs.size(), "programs in the suite");
        Map<String, String> excluded = exclusions();
        for (String name : excluded.keySet()) {
            assertTrue(
                    programs.stream().anyMatch(p -> name(p).equals(name)),
                    "excluded program not in the suite: " + name);
        }
        return programs.stream()
                .map(p -> DynamicTest.dynamicTest(name(p), () -> {
                    String failure = failure(p, deterministic);
                    if (excluded.containsKey(name(p))) {
                        assertTrue(failure != null, name(p) + " passes now: remove it from exclusions.txt");
                    } else {
                        assertEquals(null, failure, name(p));
                    }
                }));
    }

    /** {@code <language>/<program>}, e.g. {@code rust/fd_readdir}. */
    static String name(Path program) {
        Path relative = SUITE.resolve("tests").relativize(program);
        return relative.getName(0) + "/" + program.getFileName().toString().replaceFirst("\\.wasm$", "");
    }

    static Map<String, String> exclusions() throws IOException {
        var excluded = new LinkedHashMap<String, String>();
        for (String line : Files.readAllLines(SUITE.resolve("exclusions.txt"), StandardCharsets.UTF_8)) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split("\\s+", 2);
            assertEquals(2, parts.length, "exclusion without a reason: " + line);
            excluded.put(parts[0], parts[1]);
        }
        return excluded;
    }

    /** Runs one program; null when it did what its specification says, else what went differently. */
    private String failure(Path program, boolean deterministic) throws IOException {
        Path spec = program.resolveSibling(program.getFileName().toString().replaceFirst("\\.wasm$", ".json"));
        JsonNode config = Files.exists(spec) ? JSON.readTree(spec.toFile()) : JSON.createObjectNode();
        List<String> args = new ArrayList<>();
        config.path("args").forEach(a -> args.add(a.asText()));
        var invocation = Invocation.builder(ModuleRef.of(program.getFileName().toString(), Files.readAllBytes(program)))
                .args(args)
                .limits(Limits.DEFAULT.withTimeout(Duration.ofSeconds(60)))
                .deterministic(deterministic);
        config.path("env")
                .properties()
                .forEach(e -> invocation.env(e.getKey(), e.getValue().asText()));
        if (config.hasNonNull("root")) {
            Path root = scratch.resolve(name(program).replace('/', '-') + (deterministic ? "-deterministic" : ""));
            copy(program.resolveSibling(config.get("root").asText()), root);
            invocation.mount(new Mount(root, "/", true));
        }
        InvocationResult result = runtime.invoke(invocation.build());
        int expectedExit = config.path("exit_code").asInt(0);
        String expectedStdout =
                config.hasNonNull("stdout") ? config.get("stdout").asText() : null;
        String describe = result.status() + " exit=" + result.exitCode() + " error=" + result.error() + " stdout="
                + result.stdoutText() + " stderr=" + result.stderrText();
        if (result.status() != InvocationResult.Status.EXITED
                || result.exitCode() != expectedExit
                || (expectedStdout != null && !result.stdoutText().equals(expectedStdout))) {
            return "expected exit " + expectedExit + " and stdout \"" + expectedStdout + "\"; got " + describe;
        }
        return null;
    }

    /** Copies a test's root directory (links as links), leaving out the {@code *.cleanup} leftovers of earlier runs. */
    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path from : walk.toList()) {
                if (from.getFileName().toString().endsWith(".cleanup")) {
                    continue;
                }
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // The vendored files are read-only in some checkouts; the guest must be able to change its copy.
        try (Stream<Path> walk = Files.walk(target)) {
            for (Path p : walk.toList()) {
                p.toFile().setWritable(true, true);
            }
        }
    }
}
