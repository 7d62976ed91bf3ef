package dev.cidra.registry.testing;

import dev.cidra.registry.S3Connection;
import dev.cidra.registry.S3ProxyLaunch;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (<a href="https://github.com/gaul/s3proxy">S3Proxy</a>) in a child JVM on a random
 * loopback port, for tests, launched as {@link S3ProxyLaunch} says. It checks AWS signatures (v2 and v4) against fixed
 * test credentials.
 *
 * <p>The S3Proxy jar (with dependencies) is found through the system property {@value #JAR_PROPERTY}; a module's
 * surefire configuration sets it, as {@code module-registry-cache/pom.xml} shows. Starting takes about 1.5 s, so start
 * one server per test class (e.g. in {@code @BeforeAll}) and use a bucket per test.
 *
 * <p>{@link #close()} stops the child and waits for it; a JVM shutdown hook stops it if the test JVM exits first.
 * Thread-safe.
 */
public final class S3ProxyServer implements AutoCloseable {
    /** The system property naming the S3Proxy jar-with-dependencies. */
    public static final String JAR_PROPERTY = "s3proxy.test.jar";

    private static final String ACCESS_KEY = "cidra-test-access-key";
    private static final String SECRET_KEY = "cidra-test-secret-key";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final Path workDir;
    private final URI endpoint;
    private final S3Client client;
    private final Thread shutdownHook;

    private S3ProxyServer(Process process, Path workDir, URI endpoint) {
        this.process = process;
        this.workDir = workDir;
        this.endpoint = endpoint;
        this.shutdownHook = new Thread(() -> destroyTree(process), "s3proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.client = new S3Connection(
                        Optional.of(endpoint), "us-east-1", Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY))
                .newClient();
    }

    /** Starts a server keeping objects in memory ({@code transient-nio2}, which supports versioning). */
    public static S3ProxyServer inMemory() throws IOException {
        return start(null);
    }

    /**
     * Starts a server keeping objects as files under {@code baseDir} ({@code filesystem-nio2}); a later server on the
     * same directory sees them.
     */
    public static S3ProxyServer onDisk(Path baseDir) throws IOException {
        return start(Files.createDirectories(baseDir).toAbsolutePath());
    }

    private static S3ProxyServer start(Path baseDir) throws IOException {
        Path jar = jar();
        Path workDir = Files.createTempDirectory("cidra-s3proxy-");
        try {
            // A free port may be taken between probing and binding: retry with another one.
            for (int attempt = 1; ; attempt++) {
                var endpoint = URI.create("http://127.0.0.1:" + freePort());
                Path log = workDir.resolve("s3proxy-" + attempt + ".log");
                var launch = new S3ProxyLaunch(endpoint, ACCESS_KEY, SECRET_KEY, baseDir);
                Process process = launch(jar, writeProperties(workDir, launch), log);
                if (awaitReady(process, endpoint, log)) {
                    return new S3ProxyServer(process, workDir, endpoint);
                }
                if (attempt == START_ATTEMPTS || !tail(log).contains("Address already in use")) {
                    throw new IOException("S3Proxy exited with status " + process.exitValue() + " before answering on "
                            + endpoint + "; last lines of " + log + ":\n" + tail(log));
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                deleteRecursively(workDir);
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Path jar() {
        String property = System.getProperty(JAR_PROPERTY);
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: it must name the"
                    + " org.gaul:s3proxy jar-with-dependencies (copy it with maven-dependency-plugin and pass it to"
                    + " surefire in systemPropertyVariables, as module-registry-cache/pom.xml does)");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(JAR_PROPERTY + " names " + jar + ", which is not a file");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path writeProperties(Path workDir, S3ProxyLaunch launch) throws IOException {
        var properties = new Properties();
        properties.putAll(launch.properties());
        Path file = workDir.resolve("s3proxy.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "S3Proxy for Cidra tests");
        }
        return file;
    }

    private static Process launch(Path jar, Path properties, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseGet(() -> Path.of(
                        System.getProperty("java.home"), "bin", "java")
                .toString());
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(S3ProxyLaunch.jvmArguments(jar, properties));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Polls until the server answers HTTP (any status) or the child exits.
     *
     * @return false if the child exited
     * @throws IOException if it neither answers nor exits within {@link #START_TIMEOUT}; the child is stopped
     */
    private static boolean awaitReady(Process process, URI endpoint, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (answers(endpoint)) {
                return true;
            }
            try {
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                destroyTree(process);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for S3Proxy on " + endpoint);
            }
        }
        destroyTree(process);
        throw new IOException("S3Proxy did not answer on " + endpoint + " within " + START_TIMEOUT.toSeconds()
                + " s; last lines of " + log + ":\n" + tail(log));
    }

    private static boolean answers(URI endpoint) {
        try {
            var connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(1_000);
            try {
                return connection.getResponseCode() > 0;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read the log: " + e + ")";
        }
    }

    /** The server's base URI, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * A client for this server (path-style access, region us-east-1, the test credentials, the Apache HTTP
     * client). Owned by the server: closed by {@link #close()}.
     */
    public S3Client client() {
        return client;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public void createBucket(String bucket) {
        client.createBucket(request -> request.bucket(bucket));
    }

    /** Stops the child JVM (and any process it started), waits for it, and deletes its configuration and logs. */
    @Override
    public void close() {
        client.close();
        destroyTree(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook stops the child.
        }
        deleteRecursively(workDir);
    }

    /**
     * Kills the child and its descendants and waits for them to exit. A graceful stop would take S3Proxy about 2 s and
     * protects nothing: an object is on disk once its PUT has returned.
     */
    private static void destroyTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        // SIGKILL cannot be ignored: the wait is short, so it is not interruptible.
        tree.forEach(handle -> handle.onExit().join());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "S3ProxyServer[" + endpoint + ", pid " + process.pid() + "]";
    }
}
