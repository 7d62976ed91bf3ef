package dev.cidra.cli.platform;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka cluster in KRaft combined mode (one JVM is both broker and controller), with replication factors
 * of 1. Its storage under {@code kafka/data} is formatted once, with a cluster id kept in {@code kafka/cluster-id};
 * later starts reuse topics and offsets. It logs through log4j2 to {@code logs/kafka.log}.
 */
final class KafkaService implements Service {
    private static final long FORMAT_TIMEOUT_SECONDS = 120;

    private final PlatformHome home;
    private final Ports ports;
    private final Path jars;

    /** @param platformLib the directory holding {@code kafka/*.jar} (see {@code cli/platform/pom.xml}) */
    KafkaService(PlatformHome home, Ports ports, Path platformLib) {
        this.home = home;
        this.ports = ports;
        this.jars = platformLib.resolve("kafka");
    }

    @Override
    public Replica replica() {
        return Replica.first(Component.KAFKA);
    }

    Path dataDir() {
        return home.kafkaDir().resolve("data");
    }

    Path serverConfigFile() {
        return home.kafkaDir().resolve("server.properties");
    }

    Path logConfigFile() {
        return home.kafkaDir().resolve("log4j2.properties");
    }

    /** The broker's {@code server.properties}: combined mode on loopback, node 1, a static one-voter quorum. */
    Map<String, String> serverConfig() {
        String broker = Ports.HOST + ":" + ports.kafka();
        String controller = Ports.HOST + ":" + ports.kafkaController();
        var config = new LinkedHashMap<String, String>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + controller);
        config.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        config.put("advertised.listeners", "PLAINTEXT://" + broker);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dataDir().toString());
        // Topics the services (or producers) create get enough partitions for --executors 9 to share, as in k8s.
        config.put("num.partitions", "12");
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // The executors' consumers have sessions of a few seconds (cidra.kafka.session-timeout), for fast failover.
        config.put("group.min.session.timeout.ms", "1000");
        return config;
    }

    /** log4j2 configuration: everything at INFO (request logs at WARN) appended to {@code logs/kafka.log}. */
    Map<String, String> logConfig() {
        var config = new LinkedHashMap<String, String>();
        config.put("status", "warn");
        config.put("appender.file.type", "File");
        config.put("appender.file.name", "file");
        config.put(
                "appender.file.fileName",
                home.log(Replica.first(Component.KAFKA)).toString());
        config.put("appender.file.append", "true");
        config.put("appender.file.layout.type", "PatternLayout");
        config.put("appender.file.layout.pattern", "[%d] %p %m (%c)%n");
        config.put("rootLogger.level", "INFO");
        config.put("rootLogger.appenderRef.file.ref", "file");
        config.put("logger.request.name", "kafka.request.logger");
        config.put("logger.request.level", "WARN");
        return config;
    }

    @Override
    public void prepare(PrintWriter progress) throws IOException, InterruptedException {
        requireJars();
        ConfigFile.write(
                serverConfigFile(), "Kafka broker of the local Cidra platform (written by `cidra up`)", serverConfig());
        ConfigFile.write(logConfigFile(), "Kafka logging (written by `cidra up`)", logConfig());
        if (!Files.exists(dataDir().resolve("meta.properties"))) {
            format(progress);
        }
    }

    private void requireJars() throws IOException {
        boolean hasBroker;
        try (Stream<Path> files = Files.list(jars)) {
            hasBroker = files.anyMatch(file -> file.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (NoSuchFileException e) {
            hasBroker = false;
        }
        if (!hasBroker) {
            throw new IllegalStateException("no Kafka broker jars in " + jars + PlatformHome.FETCH_HINT);
        }
    }

    /** Formats the storage with the cluster id (made on first use); on failure removes what it wrote. */
    private void format(PrintWriter progress) throws IOException, InterruptedException {
        progress.print("kafka: formatting storage (first start) ... ");
        progress.flush();
        long started = System.nanoTime();
        var arguments = new ArrayList<>(logOptions());
        arguments.addAll(List.of(
                "-cp",
                jars + "/*",
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                clusterId(),
                "--config",
                serverConfigFile().toString()));
        boolean formatted = false;
        try {
            int status = ChildJvm.run(
                    arguments, home.dir(), home.log(Replica.first(Component.KAFKA)), FORMAT_TIMEOUT_SECONDS);
            if (status != 0) {
                throw new IllegalStateException("kafka could not format its storage in " + dataDir() + " (status "
                        + status + "); " + LogTail.of(home.log(Replica.first(Component.KAFKA))));
            }
            formatted = true;
        } finally {
            if (!formatted) {
                progress.println("failed");
                PlatformHome.deleteRecursively(dataDir());
            }
        }
        progress.println("done in " + Elapsed.millisSince(started) + " ms");
    }

    private String clusterId() throws IOException {
        Path file = home.kafkaDir().resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    private List<String> logOptions() {
        return List.of("-Dlog4j2.configurationFile=" + logConfigFile());
    }

    @Override
    public List<String> jvmArguments() {
        var arguments = new ArrayList<String>(List.of(
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:+ExplicitGCInvokesConcurrent",
                "-Djava.awt.headless=true"));
        arguments.addAll(logOptions());
        arguments.addAll(
                List.of("-cp", jars + "/*", "kafka.Kafka", serverConfigFile().toString()));
        return arguments;
    }

    @Override
    public Readiness readiness() {
        return readiness(ports);
    }

    /** A check that the broker on {@code ports} describes a cluster with a broker. */
    static Readiness readiness(Ports ports) {
        Admin admin = admin(ports);
        return new Readiness() {
            @Override
            public void check() throws InterruptedException, ExecutionException {
                if (admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                        .nodes()
                        .get()
                        .isEmpty()) {
                    throw new IllegalStateException("the cluster has no broker yet");
                }
            }

            @Override
            public void close() {
                admin.close(Duration.ofSeconds(2));
            }
        };
    }

    /** An admin client for the local broker on {@code ports}, with short timeouts. */
    static Admin admin(Ports ports) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ports.kafkaBootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "cidra-cli",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }
}
