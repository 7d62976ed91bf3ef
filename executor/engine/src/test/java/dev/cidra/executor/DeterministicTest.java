package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic mode: {@code runtime/deterministic.c} prints clocks, a sleep, random bytes, a listing and file stats
 * and writes a report to /outputs. With the flag, its stdout and /outputs are byte-identical across runs, runtimes
 * and processes; without it, two runs differ.
 */
class DeterministicTest {
    private static WasmRuntime runtime;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        runtime = WasmRuntime.builder().build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Runs the guest once with a fresh /outputs; returns its stdout followed by every file of /outputs. */
    static String run(WasmRuntime runtime, Path outputs, boolean deterministic, Long seed) throws IOException {
        Files.createDirectories(outputs);
        InvocationResult result = runtime.invoke(
                Invocation.builder(ModuleRef.of("deterministic.wasm", WasmRuntimeTest.fixture("deterministic.wasm")))
                        .mount(new Mount(outputs, Mount.OUTPUTS, true))
                        .deterministic(deterministic)
                        .randomSeed(seed)
                        .build());
        assertEquals(InvocationResult.Status.EXITED, result.status(), result.error());
        assertEquals(0, result.exitCode(), result.stderrText());
        Map<String, byte[]> files = ConformanceTest.tree(outputs);
        return result.stdoutText()
                + files.entrySet().stream()
                        .map(e -> "== " + e.getKey() + "\n" + new String(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining());
    }

    @Test
    void sameBytesAcrossRunsRuntimesAndProcesses() throws Exception {
        String first = run(runtime, dir.resolve("1"), true, null);
        String second = run(runtime, dir.resolve("2"), true, null);
        String otherRuntime;
        try (var another = WasmRuntime.builder().build()) {
            otherRuntime = run(another, dir.resolve("3"), true, null);
        }
        assertEquals(first, second);
        assertEquals(first, otherRuntime);
        assertEquals(first, inAnotherProcess(dir.resolve("4")));
        // The clocks start at 2000-01-01 and advance 1 ms per read (not per resolution query); the 20 ms sleep only
        // moves them.
        assertTrue(first.contains("realtime resolution 1000000 ns\n"), first);
        assertTrue(first.contains("realtime 946684800001000000 ns\n"), first);
        assertTrue(first.contains("monotonic 2000000 ns, after a 20 ms sleep 23000000 ns\n"), first);
        assertTrue(first.contains("mtime 946684800.000000000\n"), first);
        List<String> names = first.substring(0, first.indexOf("== "))
                .lines()
                .filter(l -> l.contains(" ino "))
                .map(l -> l.substring(0, l.indexOf(' ')))
                .toList();
        assertEquals(List.of(".", "..", "alpha.txt", "mid", "report.txt", "zeta.txt"), names, first);
    }

    @Test
    void withoutTheFlagTwoRunsDiffer() throws IOException {
        String first = run(runtime, dir.resolve("1"), false, null);
        String second = run(runtime, dir.resolve("2"), false, null);
        assertNotEquals(first, second);
        assertNotEquals(lines(first, "random"), lines(second, "random"));
        assertNotEquals(lines(first, "realtime "), lines(second, "realtime "));
    }

    @Test
    void anExplicitSeedChoosesTheRandomBytesOnly() throws IOException {
        String one = run(runtime, dir.resolve("1"), true, 1L);
        String oneAgain = run(runtime, dir.resolve("2"), true, 1L);
        String two = run(runtime, dir.resolve("3"), true, 2L);
        assertEquals(one, oneAgain);
        assertNotEquals(lines(one, "random"), lines(two, "random"));
        assertEquals(lines(one, "realtime"), lines(two, "realtime"));
        assertEquals(lines(one, "monotonic"), lines(two, "monotonic"));
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The same run in a child JVM (interpreter-only there: no JIT flags), through {@link DeterministicMain}. */
    private static String inAnotherProcess(Path outputs) throws Exception {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DeterministicMain.class.getName());
        command.add(outputs.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), stderr);
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
