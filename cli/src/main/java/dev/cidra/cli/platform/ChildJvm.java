package dev.cidra.cli.platform;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts JVMs on the JDK this CLI runs on, with standard input from {@code /dev/null} and standard output and error
 * appended to a log file.
 */
final class ChildJvm {
    private static final File NO_INPUT = new File("/dev/null");

    /** {@code setsid} puts a detached child in a session of its own: no signal sent to this terminal reaches it. */
    private static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(path -> Files.isExecutable(Path.of(path)))
            .findFirst();

    private ChildJvm() {}

    /** The {@code java} executable of the running JVM. */
    static String java() {
        return ProcessHandle.current().info().command().orElseGet(() -> Path.of(
                        System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /**
     * Starts {@code java arguments...} detached from this process: it outlives it, in a session of its own where
     * {@code setsid} exists ({@code setsid} execs, so the returned process's pid is the JVM's).
     */
    static Process startDetached(List<String> arguments, Path workDir, Path log) throws IOException {
        var command = new ArrayList<String>();
        SETSID.ifPresent(command::add);
        command.add(java());
        command.addAll(arguments);
        return start(command, workDir, log);
    }

    /**
     * Runs {@code java arguments...} to completion.
     *
     * @return its exit status
     * @throws IOException if it does not finish within {@code timeoutSeconds}; it is killed
     * @throws InterruptedException if interrupted while waiting; it is killed
     */
    static int run(List<String> arguments, Path workDir, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(java());
        command.addAll(arguments);
        Process process = start(command, workDir, log);
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException(
                        "`java " + String.join(" ", arguments) + "` did not finish within " + timeoutSeconds + " s");
            }
            return process.exitValue();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static Process start(List<String> command, Path workDir, Path log) throws IOException {
        return new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(NO_INPUT)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }
}
