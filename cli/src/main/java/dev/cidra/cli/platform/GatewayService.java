package dev.cidra.cli.platform;

import dev.cidra.registry.ModuleBucketConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway (a Quarkus fast-jar), replica {@code n} of the platform's gateways (any of them serves any call: each
 * reads every job event, and the replies of its own calls from partition {@code n-1} of {@code cidra.replies}), configured by system properties to listen on loopback and to keep modules in the
 * local S3Proxy. It is ready when {@code /q/health/ready} answers 200: Kafka and its module bucket reachable, and its
 * view of the job events caught up. It accepts the API keys of {@link LocalCredentials}.
 */
final class GatewayService implements Service {
    /** The bucket the gateway keeps modules in (the services' default); it creates it at startup. */
    static final String BUCKET = ModuleBucketConfig.DEFAULT_BUCKET;

    private final Path home;
    private final Ports ports;
    private final Path jar;
    private final LocalCredentials credentials;
    private final KafkaSecurity kafka;
    private final Replica replica;

    /** @param number which gateway, from 1 */
    GatewayService(PlatformHome home, Ports ports, Path jar, int number) {
        this.home = home.dir();
        this.ports = ports;
        this.jar = jar;
        this.credentials = LocalCredentials.of(home.dir());
        this.kafka = KafkaSecurity.of(home.dir());
        this.replica = new Replica(Component.GATEWAY, number);
    }

    @Override
    public Replica replica() {
        return replica;
    }

    /** The gateway's configuration, passed as {@code -D} system properties. */
    Map<String, String> config() {
        var config = new LinkedHashMap<String, String>();
        config.put("quarkus.http.host", Ports.HOST);
        config.put("quarkus.http.port", Integer.toString(ports.port(replica)));
        config.putAll(S3ProxyService.clientConfig(ports));
        config.put("cidra.kafka.bootstrap-servers", ports.kafkaBootstrap());
        // Replica k reads its replies from partition k-1 of cidra.replies (num.partitions 12 > MAX_REPLICAS).
        config.put("cidra.invocations.reply-partition", Integer.toString(replica.number() - 1));
        if (kafka.enabled()) {
            config.putAll(kafka.serviceConfig(KafkaSecurity.Principal.GATEWAY));
        }
        config.put("cidra.auth.api-keys-file", credentials.apiKeysFile().toString());
        config.put(
                "cidra.auth.executor-token-file",
                credentials.executorTokenFile().toString());
        config.put("cidra.auth.executor-networks", Ports.HOST + "/32");
        config.putAll(ExecutorNodeService.jobStorage());
        return config;
    }

    @Override
    public void prepare(PrintWriter progress) throws IOException {
        credentials.ensure();
    }

    @Override
    public List<String> jvmArguments() {
        var arguments = new ArrayList<String>();
        arguments.add("-Xmx512m");
        config().forEach((key, value) -> arguments.add("-D" + key + "=" + value));
        arguments.addAll(List.of("-jar", jar.toString()));
        return arguments;
    }

    @Override
    public Readiness readiness() {
        return replica.component().readiness(home, ports, replica);
    }
}
