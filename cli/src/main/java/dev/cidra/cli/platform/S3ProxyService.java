package dev.cidra.cli.platform;

import dev.cidra.registry.S3Connection;
import dev.cidra.registry.S3ProxyLaunch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy with the {@code filesystem-nio2} backend: buckets are directories under {@code s3/data} of the state
 * directory, so objects survive restarts, launched as {@link S3ProxyLaunch} says. It checks AWS signatures (v2 and
 * v4) against fixed local credentials.
 */
final class S3ProxyService implements Service {
    static final String ACCESS_KEY = "cidra-local";
    static final String SECRET_KEY = "cidra-local-secret";
    static final String REGION = "us-east-1";

    private final PlatformHome home;
    private final Ports ports;
    private final Path jar;

    /** @param platformLib the directory holding {@code s3proxy/s3proxy.jar} (see {@code cli/platform/pom.xml}) */
    S3ProxyService(PlatformHome home, Ports ports, Path platformLib) {
        this.home = home;
        this.ports = ports;
        this.jar = platformLib.resolve("s3proxy").resolve("s3proxy.jar");
    }

    @Override
    public Replica replica() {
        return Replica.first(Component.S3PROXY);
    }

    Path configFile() {
        return home.s3Dir().resolve("s3proxy.conf");
    }

    /** S3Proxy's configuration: this endpoint, the local credentials, objects under {@code s3/data}. */
    Map<String, String> config() {
        return new S3ProxyLaunch(
                        ports.s3Endpoint(), ACCESS_KEY, SECRET_KEY, home.s3Dir().resolve("data"))
                .properties();
    }

    @Override
    public void prepare(PrintWriter progress) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar + PlatformHome.FETCH_HINT);
        }
        Files.createDirectories(home.s3Dir().resolve("data"));
        ConfigFile.write(configFile(), "S3Proxy for the local Cidra platform (written by `cidra up`)", config());
    }

    @Override
    public List<String> jvmArguments() {
        return S3ProxyLaunch.jvmArguments(jar, configFile());
    }

    @Override
    public Readiness readiness() {
        return readiness(ports);
    }

    /** A check that the S3Proxy on {@code ports} lists its buckets. */
    static Readiness readiness(Ports ports) {
        S3Client client = client(ports);
        return new Readiness() {
            @Override
            public void check() {
                client.listBuckets();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** The {@code cidra.s3.*} and {@code cidra.registry.bucket} settings that point a service at this S3Proxy. */
    static Map<String, String> clientConfig(Ports ports) {
        var config = new LinkedHashMap<String, String>();
        config.put("cidra.s3.endpoint", ports.s3Endpoint().toString());
        config.put("cidra.s3.region", REGION);
        config.put("cidra.s3.access-key-id", ACCESS_KEY);
        config.put("cidra.s3.secret-access-key", SECRET_KEY);
        config.put("cidra.registry.bucket", GatewayService.BUCKET);
        return config;
    }

    /**
     * How a service reaches the local S3Proxy on {@code ports}: its clients retry transient failures (a pooled
     * connection the server already closed) with the SDK's standard strategy.
     */
    static S3Connection connection(Ports ports) {
        return new S3Connection(
                Optional.of(ports.s3Endpoint()), REGION, Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY));
    }

    /** A client for the readiness probe, failing fast: no retries, short timeouts. */
    private static S3Client client(Ports ports) {
        return S3Client.builder()
                .endpointOverride(ports.s3Endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
