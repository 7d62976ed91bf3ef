package dev.cidra.cli.platform;

import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.registry.testing.TrustlessGatewayServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One whole local platform (Kafka, S3Proxy, an executor, the gateway), started with {@code cidra up} on first use and
 * shared by every test class of the run, so that they do not pay its start each; {@link PlatformSession} stops it with
 * {@code cidra down} when the run ends. Tests must not stop or restart it, and must not depend on what others did to it
 * (their own buckets, their own job ids). Its executors fetch {@code ipfs} inputs through a trustless gateway in this
 * JVM ({@link #ipfs()}), on which tests serve what they need.
 */
public final class SharedPlatform {
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(180);

    private static final String LOCAL_MODULES = "local";

    private static SharedPlatform shared;
    private static AssertionError failed;

    private final TestPlatform platform;
    private final Path dir;
    private final TrustlessGatewayServer ipfs;

    private SharedPlatform(TestPlatform platform, Path dir, TrustlessGatewayServer ipfs) {
        this.platform = platform;
        this.dir = dir;
        this.ipfs = ipfs;
    }

    /**
     * The running platform, started now if no test started it before.
     *
     * @throws AssertionError if it cannot be started (then and on every later call)
     */
    public static synchronized SharedPlatform get() throws IOException, InterruptedException {
        if (failed != null) {
            throw failed;
        }
        if (shared == null) {
            Path dir = Files.createTempDirectory("cidra-shared-platform");
            var platform = new TestPlatform(dir.resolve("home"));
            var ipfs = TrustlessGatewayServer.start();
            var args = new ArrayList<>(List.of(platform.upArgs(true)));
            Path modules = Files.createDirectories(dir.resolve(LOCAL_MODULES));
            args.addAll(
                    List.of("--ipfs-gateway", ipfs.uri().toString(), "--allow-listed-local-paths", modules.toString()));
            Run up = cidra(dir).run(args.toArray(String[]::new));
            if (up.exit() != 0) {
                cidra(dir).run("down", "--home", platform.home.toString());
                ipfs.close();
                failed = new AssertionError("cidra up failed: " + up.stderr());
                throw failed;
            }
            shared = new SharedPlatform(platform, dir, ipfs);
        }
        return shared;
    }

    /** Stops the platform if it was started, and deletes its state directory. */
    static synchronized void stopShared() throws IOException, InterruptedException {
        if (shared != null) {
            Run down = cidra(shared.dir).run("down", "--home", shared.home().toString());
            if (down.exit() != 0) {
                throw new IllegalStateException("cidra down failed: " + down.stderr());
            }
            PlatformHome.deleteRecursively(shared.dir);
            shared.ipfs.close();
            shared = null;
        }
    }

    private static CidraProcess cidra(Path dir) {
        return new CidraProcess(dir, TestPlatform.servicesJvmOptions(), Map.of(), UP_TIMEOUT);
    }

    /** The platform's state directory: {@code --home} of the commands that find its gateway there. */
    public Path home() {
        return platform.home;
    }

    public URI gateway() {
        return platform.ports.gatewayUri();
    }

    /** The admin token {@code up} created: {@code Authorization: Bearer} of every call to {@link #gateway()}. */
    public String token() throws IOException {
        return LocalCredentials.of(platform.home).adminToken().orElseThrow();
    }

    /** A directory the executors allow jobs to take modules and inputs from ({@code localDirectory} sources). */
    public Path localDirectory() {
        return dir.resolve(LOCAL_MODULES);
    }

    /** The IPFS trustless gateway the executors fetch {@code ipfs} inputs through: serve blocks on it. */
    public TrustlessGatewayServer ipfs() {
        return ipfs;
    }

    /** The platform's Kafka broker, {@code host:port}. */
    public String kafkaBootstrap() {
        return platform.ports.kafkaBootstrap();
    }

    /** A client of the platform's S3 store (S3Proxy); the caller closes it. */
    public S3Client s3() {
        return S3ProxyService.connection(platform.ports).newClient();
    }
}
