package dev.cidra.cli.platform;

import dev.cidra.cli.api.ModuleSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cidra up}: starts the local platform (Kafka, S3Proxy, one or more gateways and executors) as background
 * processes.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local platform on 127.0.0.1, each part as a background process that outlives this command:"
                    + " a single-node Kafka broker (KRaft), S3Proxy (an S3-compatible store on local disk), the"
                    + " gateways and the executors (one of each unless --gateways/--executors say more; the ./cidra"
                    + " launcher builds both). Waits until each is ready, then prints the URLs.",
            "Replica k of the gateways listens on the gateway port + 100*(k-1), of the executors on the executor port"
                    + " + 100*(k-1); every gateway serves every call, and the CLI's commands use the first.",
            "Data, logs and pid files are kept in the state directory (--home), so a later `up` finds the topics and"
                    + " objects again. If the platform already runs, says so and exits 0; if part of it exited (a"
                    + " crashed executor, say), starts that part again on the ports the platform was started with."
        },
        footer = {
            "",
            "Examples:",
            "  cidra up                                     # Kafka 9092, S3 9000, executor 8081, gateway 8080",
            "  cidra up --no-gateway --no-executor --s3-port 9100   # Kafka and S3Proxy only",
            "  cidra up --secure                            # Kafka with SCRAM users and ACLs",
            "  cidra up --gateways 2 --executors 2          # gateways 8080, 8180; executors 8081, 8181",
            "  cidra up --providers 2 --provides ./private  # executor 8081; providers of ./private 8181, 8281",
            "  cidra demo; cidra status; cidra down"
        })
public final class UpCommand implements Callable<Integer> {
    /** The system property naming the gateway's {@code quarkus-run.jar}; the ./cidra launcher sets it. */
    static final String GATEWAY_JAR_PROPERTY = "cidra.gateway.jar";

    /** The system property naming the executor's {@code quarkus-run.jar}; the ./cidra launcher sets it. */
    static final String EXECUTOR_JAR_PROPERTY = "cidra.executor.jar";

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
            names = "--executor-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description = "Executor HTTP port (health, metrics, local results). Default: ${DEFAULT-VALUE}.")
    int executorPort;

    @Option(
            names = "--gateway-port",
            paramLabel = "PORT",
            defaultValue = LocalGateway.DEFAULT_PORT,
            description = "Gateway HTTP port. Default: ${DEFAULT-VALUE}.")
    int gatewayPort;

    @Option(
            names = "--executors",
            paramLabel = "N",
            defaultValue = "1",
            description = "How many executors to start (1.." + Ports.MAX_REPLICAS + "). Default: ${DEFAULT-VALUE}.")
    int executors;

    @Option(
            names = "--gateways",
            paramLabel = "M",
            defaultValue = "1",
            description = "How many gateways to start (1.." + Ports.MAX_REPLICAS + "). Default: ${DEFAULT-VALUE}.")
    int gateways;

    @Option(
            names = "--providers",
            paramLabel = "N",
            defaultValue = "0",
            description = "How many provider executors to start besides the executors, numbered after them: each holds"
                    + " the modules of --provides privately and runs only the calls and jobs that need one of them."
                    + " Default: ${DEFAULT-VALUE}.")
    int providers;

    @Option(
            names = "--provides",
            paramLabel = "DIR",
            description = "The directory of modules the provider executors hold (one file per module, named <cid> or"
                    + " <cid>.wasm; cidra.executor.provides-dir).")
    Path provides;

    @Option(
            names = "--ipfs-gateway",
            paramLabel = "URL",
            description =
                    "The IPFS trustless gateway the executors fetch ipfs inputs through (`wasm run -v CID:PATH`,"
                            + " InputSources of Type ipfs); every block is verified against its CID. Default: ${DEFAULT-VALUE}.")
    URI ipfsGateway = URI.create(ModuleSource.DEFAULT_IPFS_GATEWAY);

    @Option(
            names = "--allow-listed-local-paths",
            paramLabel = "PATH[:ro|:rw]",
            split = ",",
            description = "Host directories jobs may mount or take modules from (InputSources of Type localDirectory),"
                    + " read-only unless :rw (Bacalhau's compute-node option). Default: none.")
    List<String> allowListedLocalPaths = List.of();

    @Option(names = "--no-gateway", description = "Do not start the gateway.")
    boolean noGateway;

    @Option(names = "--no-executor", description = "Do not start an executor.")
    boolean noExecutor;

    @Option(
            names = "--secure",
            description = "Make Kafka authenticate every client (SASL/SCRAM-SHA-512) and authorize it by ACLs: users"
                    + " for the gateway, the executor and a producer of job submissions and trigger input, their"
                    + " passwords in <home>/auth/kafka/ (owner-only). A state directory started secure stays secure.")
    boolean secure;

    @Option(
            names = "--warm-up-calls",
            paramLabel = "N",
            defaultValue = "" + RequestPathWarmup.DEFAULT_CALLS,
            description = "Once the services are ready, call the bundled wordcount module N times through the"
                    + " gateways (16 at a time) before saying the platform is up, so that its first calls find the"
                    + " gateways, the broker and the executors warm; 0 skips that. Only when this `up` started a"
                    + " gateway or an executor. Default: ${DEFAULT-VALUE}.")
    int warmUpCalls;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((providers > 0) != (provides != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    providers > 0
                            ? "--providers " + providers + " needs --provides DIR, the modules they hold"
                            : "--provides needs --providers N, how many provider executors hold them");
        }
        if (warmUpCalls < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--warm-up-calls must be at least 0, not " + warmUpCalls);
        }
        if (provides != null && !Files.isDirectory(provides)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--provides " + provides + " is not a directory");
        }
        Optional<Path> providedDir = Optional.ofNullable(provides).map(Path::toAbsolutePath);
        PlatformHome platformHome = PlatformHome.create(home.dir);
        if (secure) {
            KafkaService.requireScramUsers(platformHome);
            KafkaSecurity.of(platformHome.dir()).ensure();
        }
        Path lib = platformHome.platformLib();
        var notes = new ArrayList<String>();
        Optional<Path> executorJar =
                serviceJar("executor", EXECUTOR_JAR_PROPERTY, "executor/service", noExecutor, "--no-executor", notes);
        Optional<Path> gatewayJar =
                serviceJar("gateway", GATEWAY_JAR_PROPERTY, "gateway", noGateway, "--no-gateway", notes);
        return Platform.of(platformHome, spec)
                .up(
                        new Ports(
                                kafkaPort,
                                kafkaControllerPort,
                                s3Port,
                                executorPort,
                                gatewayPort,
                                executors + providers,
                                gateways),
                        ports -> {
                            List<Service> services = new ArrayList<>(List.of(
                                    new KafkaService(platformHome, ports, lib),
                                    new S3ProxyService(platformHome, ports, lib)));
                            gatewayJar.ifPresent(jar -> IntStream.rangeClosed(1, ports.gateways())
                                    .forEach(n -> services.add(new GatewayService(platformHome, ports, jar, n))));
                            executorJar.ifPresent(jar -> IntStream.rangeClosed(1, ports.executors())
                                    .forEach(n -> services.add(new ExecutorNodeService(
                                            platformHome,
                                            ports,
                                            jar,
                                            n,
                                            ipfsGateway,
                                            allowListedLocalPaths,
                                            n > ports.executors() - providers ? providedDir : Optional.empty()))));
                            return services;
                        },
                        notes,
                        (ports, err) -> warmup(platformHome, ports).run(err));
    }

    private RequestPathWarmup warmup(PlatformHome platformHome, Ports ports) throws IOException {
        String token = LocalCredentials.of(platformHome.dir())
                .adminToken()
                .orElseThrow(() -> new IllegalStateException("no admin token in " + platformHome));
        List<URI> gateways = ports.replicas().stream()
                .filter(replica -> replica.component() == Component.GATEWAY)
                .map(ports::uri)
                .toList();
        return new RequestPathWarmup(gateways, token, warmUpCalls);
    }

    /**
     * The jar of a Quarkus service named by {@code property}, or empty with a note saying why it is left out.
     *
     * @param module the Maven module that builds it, for the hint
     */
    private static Optional<Path> serviceJar(
            String id, String property, String module, boolean excluded, String option, List<String> notes) {
        String jar = System.getProperty(property);
        String why;
        if (excluded) {
            why = option;
        } else if (jar == null || jar.isBlank()) {
            why = "no " + id + " jar given: the ./cidra launcher passes -D" + property;
        } else if (!Files.isRegularFile(Path.of(jar))) {
            why = jar + " does not exist: build it with `./mvnw -pl " + module + " -am package -DskipTests`";
        } else {
            return Optional.of(Path.of(jar).toAbsolutePath());
        }
        notes.add(id + ": skipped (" + why + ")");
        return Optional.empty();
    }
}
