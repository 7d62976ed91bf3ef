package dev.cidra.executor.service.publishing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a job publishes: its result directories, each under its name, and its {@code stdout}, {@code stderr} and
 * {@code exitCode} (decimal, no newline) as files at the root. The arrays must not be modified.
 *
 * @param directories result path name to the host directory the guest wrote
 */
public record JobResult(Map<String, Path> directories, byte[] stdout, byte[] stderr, int exitCode) {
    public JobResult {
        directories = Map.copyOf(directories);
    }

    byte[] exitCodeFile() {
        return Integer.toString(exitCode).getBytes(StandardCharsets.US_ASCII);
    }
}
