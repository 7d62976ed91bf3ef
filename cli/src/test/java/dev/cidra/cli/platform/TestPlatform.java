package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A local platform for tests: a state directory, free loopback ports, and the arguments and JVM options with which
 * {@code cidra up} starts it from the jars the build made (the platform's from {@code cli/platform/pom.xml}, the
 * services' {@code quarkus-run.jar} files).
 */
final class TestPlatform {
    static final Path PLATFORM_LIB = Path.of(System.getProperty(PlatformHome.LIB_PROPERTY, "target/platform"));

    final Path home;
    final Ports ports;

    /** A platform in {@code home} on ports free at the time of the call. */
    TestPlatform(Path home) throws IOException {
        assertTrue(
                Files.isDirectory(PLATFORM_LIB.resolve("kafka")),
                "no platform jars in " + PLATFORM_LIB + ": run `mvn -pl cli generate-test-resources`");
        this.home = home;
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < 5; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        this.ports = new Ports(
                sockets.get(0).getLocalPort(),
                sockets.get(1).getLocalPort(),
                sockets.get(2).getLocalPort(),
                sockets.get(3).getLocalPort(),
                sockets.get(4).getLocalPort());
    }

    /** The request-path warm-up of {@link #upArgs}: enough to run it, a tenth of a second's work on a warm platform. */
    static final int WARM_UP_CALLS = 100;

    /**
     * The arguments of {@code up} in {@link #home} on {@link #ports}: with {@code services}, the executor's and the
     * gateway's ports too and {@link #WARM_UP_CALLS}; without, neither service starts.
     */
    String[] upArgs(boolean services) {
        var args = new ArrayList<String>();
        args.add("up");
        if (!services) {
            args.addAll(List.of("--no-gateway", "--no-executor"));
        }
        args.addAll(List.of(
                "--home",
                home.toString(),
                "--kafka-port",
                Integer.toString(ports.kafka()),
                "--kafka-controller-port",
                Integer.toString(ports.kafkaController()),
                "--s3-port",
                Integer.toString(ports.s3())));
        if (services) {
            args.addAll(List.of(
                    "--executor-port",
                    Integer.toString(ports.executor()),
                    "--gateway-port",
                    Integer.toString(ports.gateway()),
                    "--warm-up-calls",
                    Integer.toString(WARM_UP_CALLS)));
        }
        return args.toArray(String[]::new);
    }

    /** The JVM options of a {@code cidra} that starts the whole platform: where the services' jars and its own are. */
    static List<String> servicesJvmOptions() {
        var options = new ArrayList<String>();
        for (String property : List.of(UpCommand.EXECUTOR_JAR_PROPERTY, UpCommand.GATEWAY_JAR_PROPERTY)) {
            Path jar = Path.of(System.getProperty(property));
            assertTrue(Files.isRegularFile(jar), jar + " is missing: build the services first (`./mvnw verify` does)");
            options.add("-D" + property + "=" + jar.toAbsolutePath());
        }
        options.add("-D" + PlatformHome.LIB_PROPERTY + "=" + PLATFORM_LIB.toAbsolutePath());
        return options;
    }
}
