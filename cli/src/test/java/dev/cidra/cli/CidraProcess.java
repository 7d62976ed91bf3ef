package dev.cidra.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the real {@code cidra} main in a child JVM on the test class path, with the JIT flags the parent pom defines
 * (system property {@code cidra.jit.flags}), as the launcher does. A child that outlives its timeout is killed, so a
 * failing test leaves no process behind.
 */
public final class CidraProcess {
    /** What one run printed and how it exited. */
    public record Run(int exit, String stdout, String stderr) {}

    private final Path dir;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final AtomicInteger runs = new AtomicInteger();

    /**
     * @param dir where the runs' stdout and stderr files go
     * @param jvmOptions extra options before the main class, e.g. {@code -Dkey=value}
     */
    public CidraProcess(Path dir, List<String> jvmOptions, Duration timeout) {
        this(dir, jvmOptions, Map.of(), timeout);
    }

    /**
     * @param environment variables set for the child, besides those of this JVM
     */
    public CidraProcess(Path dir, List<String> jvmOptions, Map<String, String> environment, Duration timeout) {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    public Run run(String... args) throws IOException, InterruptedException {
        return run(new byte[0], args);
    }

    public Run run(byte[] stdin, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                Arrays.asList(System.getProperty("cidra.jit.flags").trim().split("\\s+")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cidra.class.getName()));
        command.addAll(List.of(args));
        int run = runs.incrementAndGet();
        Path stdout = dir.resolve("stdout-" + run);
        Path stderr = dir.resolve("stderr-" + run);
        var builder =
                new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        var process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("cidra " + String.join(" ", args) + " did not finish within " + timeout);
        }
        return new Run(
                process.exitValue(),
                // a guest's output need not be UTF-8: malformed bytes are replaced, not an error of the test
                new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8));
    }
}
