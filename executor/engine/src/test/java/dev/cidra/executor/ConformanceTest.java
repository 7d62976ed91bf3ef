package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.Cid;
import dev.cidra.registry.ModuleNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every case folder under {@code src/test/resources/conformance} (format: its README.md) through one shared
 * runtime, the way the executor runs production invocations. Cases are read from the source tree, not from the test
 * class path, so committed symbolic links stay links.
 */
class ConformanceTest {
    static final Path CASES = Path.of("src/test/resources/conformance");

    private static final Map<Cid, byte[]> STORE = new HashMap<>();
    private static WasmRuntime runtime;

    @TempDir
    Path scratch;

    @BeforeAll
    static void startRuntime() throws IOException {
        try (Stream<Path> stores = Files.walk(CASES)) {
            for (Path file : stores.filter(
                            p -> p.getParent().getFileName().toString().equals("store")
                                    && p.toString().endsWith(".wasm"))
                    .toList()) {
                byte[] bytes = Files.readAllBytes(file);
                STORE.put(Cid.rawOf(bytes), bytes);
            }
        }
        runtime = WasmRuntime.builder()
                .modules(cid -> {
                    byte[] bytes = STORE.get(cid.toV1());
                    if (bytes == null) {
                        throw new ModuleNotFoundException("module " + cid + " is not in the test store");
                    }
                    return bytes;
                })
                .build();
    }

    @AfterAll
    static void stopRuntime() {
        runtime.close();
    }

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(CASES)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(folders.size() >= 20, "conformance cases found: " + folders.size());
        return folders.stream()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private void run(Path dir) throws IOException {
        Path outputs = Files.createDirectories(
                scratch.resolve(dir.getFileName().toString()).resolve("outputs"));
        var props = new Properties();
        if (Files.exists(dir.resolve("invocation.properties"))) {
            try (InputStream in = Files.newInputStream(dir.resolve("invocation.properties"))) {
                props.load(in);
            }
        }
        var limits = Limits.DEFAULT;
        if (props.containsKey("memory")) {
            limits = limits.withMemoryBytes(Limits.parseSize(props.getProperty("memory")));
        }
        if (props.containsKey("timeout")) {
            limits = limits.withTimeout(Limits.parseDuration(props.getProperty("timeout")));
        }
        if (props.containsKey("stdout-cap")) {
            limits = limits.withStdoutBytes(Integer.parseInt(props.getProperty("stdout-cap")));
        }
        if (props.containsKey("stderr-cap")) {
            limits = limits.withStderrBytes(Integer.parseInt(props.getProperty("stderr-cap")));
        }
        if (props.containsKey("disk")) {
            limits = limits.withDiskBytes(Limits.parseSize(props.getProperty("disk")));
        }
        if (props.containsKey("disk-files")) {
            limits = limits.withDiskFiles(Long.parseLong(props.getProperty("disk-files")));
        }
        var invocation = Invocation.builder(ModuleRef.of("module.wasm", Files.readAllBytes(dir.resolve("module.wasm"))))
                .entrypoint(props.getProperty("entrypoint", Invocation.DEFAULT_ENTRYPOINT))
                .args(lines(dir.resolve("args")))
                .stdin(new ByteArrayInputStream(bytes(dir.resolve("stdin"), new byte[0])))
                .limits(limits)
                .mount(new Mount(outputs, "/outputs", true));
        for (String line : lines(dir.resolve("env"))) {
            int eq = line.indexOf('=');
            invocation.env(line.substring(0, eq), line.substring(eq + 1));
        }
        if (Files.isDirectory(dir.resolve("inputs"))) {
            invocation.mount(new Mount(inputsCopy(dir), "/inputs", false));
        }
        if (Files.isDirectory(dir.resolve("imports"))) {
            try (Stream<Path> imports = Files.list(dir.resolve("imports"))) {
                for (Path file :
                        imports.filter(p -> p.toString().endsWith(".wasm")).toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.wasm$", "");
                    invocation.importModule(name, ModuleRef.of(name, Files.readAllBytes(file)));
                }
            }
        }

        InvocationResult result = runtime.invoke(invocation.build());

        String describe = result.status() + " exit=" + result.exitCode() + " error=" + result.error() + "\nstdout:\n"
                + result.stdoutText() + "\nstderr:\n" + result.stderrText();
        Path error = dir.resolve("error.txt");
        if (Files.exists(error)) {
            String expected = Files.readString(error).strip();
            assertNotEquals(InvocationResult.Status.EXITED, result.status(), describe);
            assertTrue(result.error().contains(expected), "error must contain \"" + expected + "\"; got " + describe);
            return;
        }
        assertEquals(InvocationResult.Status.EXITED, result.status(), describe);
        int expectedExit = Files.exists(dir.resolve("expected-exit"))
                ? Integer.parseInt(
                        Files.readString(dir.resolve("expected-exit")).strip())
                : 0;
        assertEquals(expectedExit, result.exitCode(), describe);
        assertArrayEquals(Files.readAllBytes(dir.resolve("expected-stdout")), result.stdout(), "stdout; " + describe);
        if (Files.exists(dir.resolve("expected-stderr"))) {
            assertArrayEquals(
                    Files.readAllBytes(dir.resolve("expected-stderr")), result.stderr(), "stderr; " + describe);
        }
        List<String> truncated = lines(dir.resolve("expected-truncated"));
        assertEquals(truncated.contains("stdout"), result.stdoutTruncated(), "stdout truncated flag; " + describe);
        assertEquals(truncated.contains("stderr"), result.stderrTruncated(), "stderr truncated flag; " + describe);
        Map<String, byte[]> expectedOutputs = tree(dir.resolve("expected-outputs"));
        Map<String, byte[]> actualOutputs = tree(outputs);
        assertEquals(expectedOutputs.keySet(), actualOutputs.keySet(), "files in /outputs");
        expectedOutputs.forEach((name, bytes) -> assertArrayEquals(bytes, actualOutputs.get(name), "/outputs/" + name));
    }

    /**
     * A scratch copy of the case's inputs/ (so a guest that broke out of read-only could not change the repository),
     * with the symbolic links its {@code symlinks} file lists ({@code NAME -> TARGET} per line).
     */
    private Path inputsCopy(Path dir) throws IOException {
        Path source = dir.resolve("inputs");
        Path copy = Files.createDirectories(
                scratch.resolve(dir.getFileName().toString()).resolve("inputs"));
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path from : walk.toList()) {
                Path to = copy.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        for (String line : lines(dir.resolve("symlinks"))) {
            String[] link = line.split(" -> ", 2);
            Files.createSymbolicLink(copy.resolve(link[0]), Path.of(link[1]));
        }
        return copy;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static byte[] bytes(Path file, byte[] absent) throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : absent;
    }

    /** Relative path -> content of every regular file below {@code root} (empty if it does not exist). */
    static Map<String, byte[]> tree(Path root) throws IOException {
        var files = new TreeMap<String, byte[]>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                try {
                    files.put(root.relativize(p).toString(), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }
}
