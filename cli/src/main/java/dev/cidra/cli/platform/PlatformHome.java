package dev.cidra.cli.platform;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local platform's state directory, the only place {@code cidra up} writes to: {@code kafka/} (broker config,
 * cluster id and data), {@code s3/} (S3Proxy's config and objects), {@code logs/} (one log per component) and
 * {@code run/} (a pid file per running component, the ports in use, and the lock that serialises {@code up} and
 * {@code down}).
 */
final class PlatformHome {
    /** The system property naming the directory of the platform's jars (see {@code cli/platform/pom.xml}). */
    static final String LIB_PROPERTY = "cidra.platform.lib";

    /** Appended to messages about missing platform jars. */
    static final String FETCH_HINT = "; the ./cidra launcher fetches the platform jars (cli/platform/pom.xml) before"
            + " `cidra up`; without it, pass -D" + LIB_PROPERTY + "=DIR";

    private static final String PID_SUFFIX = ".pid";

    private final Path dir;

    private PlatformHome(Path dir) {
        this.dir = dir;
    }

    /**
     * The state directory at {@code dir}, which need not exist. Its path is made canonical when it exists so that the
     * process markers {@code up} records match whichever way {@code down} is given the directory.
     */
    static PlatformHome of(Path dir) throws IOException {
        return new PlatformHome(
                Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize());
    }

    /** The state directory at {@code dir}, created with its subdirectories if missing. */
    static PlatformHome create(Path dir) throws IOException {
        Files.createDirectories(dir);
        var home = of(dir);
        for (Path sub : new Path[] {home.kafkaDir(), home.s3Dir(), home.executorDir(), home.logsDir(), home.runDir()}) {
            Files.createDirectories(sub);
        }
        return home;
    }

    Path dir() {
        return dir;
    }

    /** The directory holding the platform's jars: {@value #LIB_PROPERTY} if set, else {@code lib/} of the home. */
    Path platformLib() {
        String configured = System.getProperty(LIB_PROPERTY);
        return configured == null || configured.isBlank()
                ? dir.resolve("lib")
                : Path.of(configured).toAbsolutePath();
    }

    Path kafkaDir() {
        return dir.resolve("kafka");
    }

    Path s3Dir() {
        return dir.resolve("s3");
    }

    /** The first executor's work and local results directories. */
    Path executorDir() {
        return executorDir(Replica.first(Component.EXECUTOR));
    }

    /** The work and local results directories of executor {@code replica}: {@code executor/}, {@code executor-2/}. */
    Path executorDir(Replica replica) {
        return dir.resolve(replica.id());
    }

    Path logsDir() {
        return dir.resolve("logs");
    }

    Path runDir() {
        return dir.resolve("run");
    }

    Path log(Replica replica) {
        return logsDir().resolve(replica.id() + ".log");
    }

    /** The pid file of {@code replica}; {@link #recordedReplicas} lists the replicas that have one. */
    Path pidFile(Replica replica) {
        return runDir().resolve(replica.id() + PID_SUFFIX);
    }

    /** The replicas with a pid file in {@link #runDir()}, in {@link Replica#START_ORDER}. */
    List<Replica> recordedReplicas() throws IOException {
        if (!Files.isDirectory(runDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runDir())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(PID_SUFFIX))
                    .map(name -> Replica.parse(name.substring(0, name.length() - PID_SUFFIX.length())))
                    .flatMap(Optional::stream)
                    .sorted(Replica.START_ORDER)
                    .toList();
        }
    }

    Path portsFile() {
        return runDir().resolve("ports.properties");
    }

    /**
     * The ports {@code up} started the platform with, or empty when none are recorded: the platform was never started
     * here or {@code down} stopped it.
     *
     * @throws IOException if the recorded ports cannot be read
     */
    Optional<Ports> ports() throws IOException {
        return Files.exists(portsFile()) ? Optional.of(Ports.load(portsFile())) : Optional.empty();
    }

    /**
     * The argument that every JVM {@code up} starts for {@code component} carries first, so that a recorded pid is
     * only ever taken for that component of this state directory. A system property outside the {@code cidra.}
     * prefix, which the gateway's configuration mapping rejects unknown keys under.
     */
    String marker(Replica replica) {
        return "-Ddev.cidra.platform=" + replica.id() + "@" + dir;
    }

    /**
     * Takes the lock that {@code up} and {@code down} hold while they run, so that two of them never act on one state
     * directory at once. Closing the result releases it; so does the end of this process.
     *
     * @throws IllegalStateException if another process holds it
     */
    Closeable lock() throws IOException {
        Files.createDirectories(runDir());
        Path file = runDir().resolve("lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean locked;
        try {
            locked = channel.tryLock() != null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (!locked) {
            channel.close();
            throw new IllegalStateException(
                    "another `cidra up` or `cidra down` is running on " + dir + " (it holds " + file + ")");
        }
        return channel::close;
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
