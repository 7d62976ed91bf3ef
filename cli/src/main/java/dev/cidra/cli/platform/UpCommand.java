package dev.cidra.cli.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cidra up}: starts the local platform (Kafka, S3Proxy, the gateway) as background processes. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local platform on 127.0.0.1, each part as a background process that outlives this command:"
                    + " a single-node Kafka broker (KRaft), S3Proxy (an S3-compatible store on local disk) and the"
                    + " gateway (if built). Waits until each is ready, then prints the URLs.",
            "Data, logs and pid files are kept in the state directory (--home), so a later `up` finds the topics and"
                    + " objects again. If the platform already runs, says so and exits 0."
        },
        footer = {
            "",
            "Examples:",
            "  cidra up                               # Kafka 9092, S3 9000, gateway 8080",
            "  cidra up --no-gateway --s3-port 9100   # Kafka and S3Proxy only",
            "  cidra status; cidra down"
        })
public final class UpCommand implements Callable<Integer> {
    /** The system property naming the gateway's {@code quarkus-run.jar}; the ./cidra launcher sets it. */
    static final String GATEWAY_JAR_PROPERTY = "cidra.gateway.jar";

    @Mixin
    HomeOption home;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Kafka bootstrap port. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(
            names = "--kafka-controller-port",
            paramLabel = "PORT",
            defaultValue = "9093",
            description = "Kafka's KRaft controller port (internal). Default: ${DEFAULT-VALUE}.")
    int kafkaControllerPort;

    @Option(
            names = "--s3-port",
            paramLabel = "PORT",
            defaultValue = "9000",
            description = "S3 endpoint port. Default: ${DEFAULT-VALUE}.")
    int s3Port;

    @Option(
            names = "--gateway-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Gateway HTTP port. Default: ${DEFAULT-VALUE}.")
    int gatewayPort;

    @Option(names = "--no-gateway", description = "Start Kafka and S3Proxy only.")
    boolean noGateway;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var ports = new Ports(kafkaPort, kafkaControllerPort, s3Port, gatewayPort);
        PlatformHome platformHome = PlatformHome.create(home.dir);
        Path lib = Platform.platformLib(platformHome);
        List<Service> services = new ArrayList<>(
                List.of(new KafkaService(platformHome, ports, lib), new S3ProxyService(platformHome, ports, lib)));
        var notes = new ArrayList<String>();
        gatewayJar()
                .ifPresentOrElse(
                        jar -> services.add(new GatewayService(ports, jar)),
                        () -> notes.add("gateway: skipped (" + (noGateway ? "--no-gateway" : gatewayMissing()) + ")"));
        return new Platform(
                        platformHome,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr())
                .up(ports, services, notes);
    }

    private Optional<Path> gatewayJar() {
        String jar = System.getProperty(GATEWAY_JAR_PROPERTY);
        if (noGateway || jar == null || jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(jar).toAbsolutePath());
    }

    private static String gatewayMissing() {
        String jar = System.getProperty(GATEWAY_JAR_PROPERTY);
        return jar == null || jar.isBlank()
                ? "no gateway jar given: the ./cidra launcher passes -D" + GATEWAY_JAR_PROPERTY
                        + " when gateway/ exists"
                : jar + " does not exist: build it with `./mvnw -pl gateway -am package -DskipTests`";
    }
}
