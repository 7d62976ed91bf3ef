package dev.cidra.cli.platform;

import dev.cidra.contract.ApiKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One executor node (a Quarkus fast-jar), replica {@code n} of the platform's executors, configured by system properties: consumes requests and jobs from the local
 * Kafka, reads modules from and publishes results to the local S3Proxy, keeps job work and local results under the
 * state directory ({@link PlatformHome#executorDir(Replica)}, one per replica). It runs with the Graal JIT options this CLI runs with (the ./cidra launcher enables it), so guest
 * code is compiled. It is ready when {@code /q/health/ready} answers 200. A provider executor
 * ({@code cidra up --providers N --provides DIR}) holds the modules of a directory privately and runs only the work
 * that needs them.
 */
final class ExecutorNodeService implements Service {
    private final PlatformHome home;
    private final Ports ports;
    private final Path jar;
    private final Replica replica;
    private final Optional<Path> provides;
    private final URI ipfsGateway;
    private final List<String> localPaths;

    /**
     * @param number which executor, from 1
     * @param ipfsGateway the IPFS trustless gateway its {@code ipfs} inputs are fetched through
     * @param localPaths the host directories jobs may use, each {@code PATH}, {@code PATH:ro} or {@code PATH:rw}
     * @param provides the directory of modules it provides ({@code cidra.executor.provides-dir}); empty for an executor
     *     of the shared module store
     */
    ExecutorNodeService(
            PlatformHome home,
            Ports ports,
            Path jar,
            int number,
            URI ipfsGateway,
            List<String> localPaths,
            Optional<Path> provides) {
        this.home = home;
        this.ipfsGateway = ipfsGateway;
        this.localPaths = List.copyOf(localPaths);
        this.ports = ports;
        this.jar = jar;
        this.replica = new Replica(Component.EXECUTOR, number);
        this.provides = provides;
    }

    @Override
    public Replica replica() {
        return replica;
    }

    /** Longer than other services': the node is ready only after its engine warm-up (cidra.execution.warmup-rounds). */
    @Override
    public Duration startTimeout() {
        return Duration.ofMinutes(5);
    }

    /**
     * The node id its results and events carry, unique among the replicas: its consumers' static group membership and
     * its transactional ids derive from it.
     */
    String nodeId() {
        return "local-executor-" + replica.number();
    }

    /** The executor's configuration, passed as {@code -D} system properties. */
    Map<String, String> config() {
        var config = new LinkedHashMap<String, String>();
        config.put("quarkus.http.host", Ports.HOST);
        config.put("quarkus.http.port", Integer.toString(ports.port(replica)));
        config.put("cidra.kafka.bootstrap-servers", ports.kafkaBootstrap());
        KafkaSecurity kafka = KafkaSecurity.of(home.dir());
        if (kafka.enabled()) {
            config.putAll(kafka.serviceConfig(KafkaSecurity.Principal.EXECUTOR));
        }
        config.putAll(S3ProxyService.clientConfig(ports));
        config.put("cidra.execution.node-id", nodeId());
        config.put(
                "cidra.jobs.work-dir", home.executorDir(replica).resolve("work").toString());
        config.put(
                "cidra.jobs.results-dir",
                home.executorDir(replica).resolve("results").toString());
        config.put("cidra.jobs.public-url", ports.uri(replica).toString());
        config.put(
                "cidra.auth.gateway-token-file",
                LocalCredentials.of(home.dir()).executorTokenFile().toString());
        config.putAll(jobStorage());
        provides.ifPresent(dir -> config.put("cidra.executor.provides-dir", dir.toString()));
        config.put("cidra.ipfs.gateway", ipfsGateway.toString());
        if (!localPaths.isEmpty()) {
            config.put("cidra.inputs.local-directories", String.join(",", localPaths));
        }
        return config;
    }

    /**
     * What jobs may read and write in S3, the same for the gateway and the executor: the default tenant any bucket
     * but the platform's own; other tenants nothing.
     */
    static Map<String, String> jobStorage() {
        return Map.of(
                "cidra.job-storage.tenants." + ApiKey.DEFAULT_TENANT + ".read", "*",
                "cidra.job-storage.tenants." + ApiKey.DEFAULT_TENANT + ".write", "*");
    }

    @Override
    public void prepare(PrintWriter progress) throws IOException {
        if (!jitOptions().contains("-XX:+EnableJVMCI")) {
            progress.println("executor: warning: this JVM has no Graal JIT options, so the executor runs guest code"
                    + " interpreter-only (75-170x slower); start the platform with ./cidra up");
        }
        Files.createDirectories(home.executorDir(replica));
        LocalCredentials.of(home.dir()).ensure();
    }

    @Override
    public List<String> jvmArguments() {
        var arguments = new ArrayList<String>();
        // Guest memories live on the Java heap: room for a few 256 MiB guests at once.
        arguments.add("-Xmx2g");
        arguments.addAll(jitOptions());
        config().forEach((key, value) -> arguments.add("-D" + key + "=" + value));
        arguments.addAll(List.of("-jar", jar.toString()));
        return arguments;
    }

    /**
     * The options that enable the Graal JIT in this JVM (JVMCI, the compiler on the upgrade module path, access), and
     * the polyglot engine options it was given ({@code -Dpolyglot.engine.Mode=latency} in {@code CIDRA_JAVA_OPTS}).
     */
    static List<String> jitOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-Dpolyglot.")
                        || option.equals("-XX:+UnlockExperimentalVMOptions")
                        || option.equals("-XX:+EnableJVMCI")
                        || option.startsWith("--upgrade-module-path=")
                        || option.startsWith("--enable-native-access=")
                        || option.startsWith("--sun-misc-unsafe-memory-access="))
                .toList();
    }

    @Override
    public Readiness readiness() {
        return replica.component().readiness(home.dir(), ports, replica);
    }
}
