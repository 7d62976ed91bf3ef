package dev.cidra.executor.service.publishing;

import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The results the {@code local} publisher keeps: {@code <cidra.jobs.results-dir>/<executionId>.tar.gz}, each written
 * to a temporary file and renamed into place, so a result is either absent or complete. Execution ids that are not
 * plain tokens ({@code [A-Za-z0-9_-][A-Za-z0-9._-]{0,127}}) are never used as file names. Thread-safe.
 */
@Singleton
public class LocalResults {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".tar.gz";

    private final Path dir;

    LocalResults(ExecutorConfig config) {
        this.dir = config.jobs().resultsDir();
    }

    /** Whether {@code executionId} can name a local result. */
    public static boolean isToken(String executionId) {
        return executionId != null && TOKEN.matcher(executionId).matches();
    }

    /** The complete result of {@code executionId}, if this node keeps one. */
    public Optional<Path> find(String executionId) {
        if (!isToken(executionId)) {
            return Optional.empty();
        }
        Path file = dir.resolve(executionId + SUFFIX);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Moves a finished archive into place as the result of {@code executionId}, replacing an earlier one. */
    void keep(String executionId, Path archive) throws IOException {
        if (!isToken(executionId)) {
            throw new IllegalArgumentException(
                    "executionId \"" + executionId + "\" cannot name a local result: it must match " + TOKEN.pattern());
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + executionId, ".partial");
        try {
            Files.copy(archive, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    temp,
                    dir.resolve(executionId + SUFFIX),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
