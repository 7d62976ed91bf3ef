package dev.cidra.executor.service.publishing;

import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The results the {@code local} publisher keeps: {@code <cidra.jobs.results-dir>/<executionId>.tar.gz}, each written
 * to a temporary file and renamed into place, so a result is either absent or complete. Execution ids that are not
 * plain tokens ({@code [A-Za-z0-9_-][A-Za-z0-9._-]{0,127}}) are never used as file names. A result older than
 * {@code cidra.jobs.results-retention} (by its file's modification time) is never served again, and
 * {@link #expire()} deletes it; it runs every tenth of the retention, at most hourly. Thread-safe.
 */
@Singleton
public class LocalResults {
    private static final Logger LOG = Logger.getLogger(LocalResults.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".tar.gz";

    private final Path dir;
    private final Duration retention;
    private final Clock clock;
    private ScheduledExecutorService sweeper;

    @Inject
    LocalResults(ExecutorConfig config, Clock clock) {
        this(config.jobs().resultsDir(), config.jobs().resultsRetention(), clock);
    }

    LocalResults(Path dir, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("cidra.jobs.results-retention must be positive, not " + retention);
        }
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
    }

    @PostConstruct
    void startSweeping() {
        long period = Math.min(retention.toMillis() / 10, Duration.ofHours(1).toMillis());
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("local-results-expiry").factory());
        sweeper.scheduleWithFixedDelay(this::expireLogged, period, Math.max(period, 1), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopSweeping() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void expireLogged() {
        try {
            int deleted = expire();
            if (deleted > 0) {
                LOG.infof("deleted %d local results older than %s", deleted, retention);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot delete the expired local results in %s: %s", dir, e.toString());
        }
    }

    /**
     * Deletes the results older than the retention.
     *
     * @return how many were deleted
     */
    int expire() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(SUFFIX) && expired(file) && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private boolean expired(Path file) throws IOException {
        Instant written = Files.getLastModifiedTime(file).toInstant();
        return !written.plus(retention).isAfter(clock.instant());
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
        try {
            return Files.isRegularFile(file) && !expired(file) ? Optional.of(file) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // deleted between the two looks
        }
    }

    /**
     * Moves a finished archive into place as the result of {@code executionId}, replacing an earlier one.
     *
     * @return when it expires: the retention from now
     */
    Instant keep(String executionId, Path archive) throws IOException {
        if (!isToken(executionId)) {
            throw new IllegalArgumentException(
                    "executionId \"" + executionId + "\" cannot name a local result: it must match " + TOKEN.pattern());
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + executionId, ".partial");
        try {
            Files.copy(archive, temp, StandardCopyOption.REPLACE_EXISTING);
            Instant now = clock.instant();
            Files.setLastModifiedTime(temp, FileTime.from(now)); // its age is read against the same clock
            Files.move(
                    temp,
                    dir.resolve(executionId + SUFFIX),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return now.plus(retention);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes the result of {@code executionId}, if this node keeps one. */
    void remove(String executionId) throws IOException {
        if (isToken(executionId)) {
            Files.deleteIfExists(dir.resolve(executionId + SUFFIX));
        }
    }
}
