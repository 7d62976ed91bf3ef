package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.api.ModuleSource;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code cidra up} writes and passes to each component, for given ports and state directory. */
class PlatformConfigTest {
    private static final Ports PORTS = new Ports(19092, 19093, 19000, 18081, 18080);

    @TempDir
    Path dir;

    private static Map<String, String> parsed(String text) throws IOException {
        var properties = new Properties();
        properties.load(new StringReader(text));
        var map = new LinkedHashMap<String, String>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return map;
    }

    @Test
    void kafkaListensOnTheChosenLoopbackPortsAsItsOwnController() throws IOException {
        var home = PlatformHome.of(dir);
        Map<String, String> config = new KafkaService(home, PORTS, dir.resolve("lib")).serverConfig();

        assertEquals("broker,controller", config.get("process.roles"));
        assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", config.get("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:19092", config.get("advertised.listeners"));
        assertEquals("1@127.0.0.1:19093", config.get("controller.quorum.voters"));
        assertEquals(
                config.get("node.id"), config.get("controller.quorum.voters").split("@")[0]);
        assertEquals(dir.toRealPath().resolve("kafka/data").toString(), config.get("log.dirs"));
        assertEquals("1", config.get("offsets.topic.replication.factor"));
        assertEquals("1", config.get("transaction.state.log.replication.factor"));
        // What Kafka reads back is what was meant.
        assertEquals(config, parsed(ConfigFile.render("kafka", config)));
    }

    @Test
    void kafkaLogsToItsLogFile() throws IOException {
        var home = PlatformHome.of(dir);
        Map<String, String> config = new KafkaService(home, PORTS, dir.resolve("lib")).logConfig();

        assertEquals(home.log(Replica.first(Component.KAFKA)).toString(), config.get("appender.file.fileName"));
        assertEquals("true", config.get("appender.file.append"));
        assertEquals(config.get("appender.file.name"), config.get("rootLogger.appenderRef.file.ref"));
    }

    @Test
    void s3ProxyServesTheChosenPortFromTheStateDirectory() throws IOException {
        var home = PlatformHome.of(dir);
        Map<String, String> config = new S3ProxyService(home, PORTS, dir.resolve("lib")).config();

        assertEquals("http://127.0.0.1:19000", config.get("s3proxy.endpoint"));
        assertEquals("filesystem-nio2", config.get("jclouds.provider"));
        assertEquals(dir.toRealPath().resolve("s3/data").toString(), config.get("jclouds.filesystem.basedir"));
        assertEquals(S3ProxyService.ACCESS_KEY, config.get("s3proxy.identity"));
        assertEquals(S3ProxyService.SECRET_KEY, config.get("s3proxy.credential"));
        assertEquals(config, parsed(ConfigFile.render("s3proxy", config)));
    }

    @Test
    void theGatewayIsPointedAtTheLocalS3AndKafkaBySystemProperties() throws IOException {
        Path jar = dir.resolve("quarkus-run.jar");
        List<String> arguments = new GatewayService(PlatformHome.of(dir), PORTS, jar, 1).jvmArguments();

        for (String expected : List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=18080",
                "-Dcidra.s3.endpoint=http://127.0.0.1:19000",
                "-Dcidra.s3.region=us-east-1",
                "-Dcidra.s3.access-key-id=" + S3ProxyService.ACCESS_KEY,
                "-Dcidra.s3.secret-access-key=" + S3ProxyService.SECRET_KEY,
                "-Dcidra.registry.bucket=" + GatewayService.BUCKET,
                "-Dcidra.kafka.bootstrap-servers=127.0.0.1:19092",
                "-Dcidra.auth.api-keys-file=" + dir.toRealPath().resolve("auth/api-keys"),
                "-Dcidra.auth.executor-token-file=" + dir.toRealPath().resolve("auth/executor-token"),
                "-Dcidra.auth.executor-networks=127.0.0.1/32",
                "-Dcidra.job-storage.tenants.default.read=*",
                "-Dcidra.job-storage.tenants.default.write=*")) {
            assertTrue(arguments.contains(expected), expected + " in " + arguments);
        }
        assertEquals(List.of("-jar", jar.toString()), arguments.subList(arguments.size() - 2, arguments.size()));
        assertTrue(arguments.stream().noneMatch(a -> a.startsWith("-Dcidra.executor.")), arguments.toString());
    }

    @Test
    void aProviderExecutorIsGivenItsDirectoryOfModules() throws IOException {
        var home = PlatformHome.of(dir);
        Path modules = Files.createDirectory(dir.resolve("private"));
        List<String> arguments = new ExecutorNodeService(
                        home,
                        new Ports(19092, 19093, 19000, 18081, 18080, 2, 1),
                        dir,
                        2,
                        URI.create(ModuleSource.DEFAULT_IPFS_GATEWAY),
                        List.of(),
                        Optional.of(modules))
                .jvmArguments();
        assertTrue(arguments.contains("-Dcidra.executor.provides-dir=" + modules), arguments.toString());
        assertTrue(arguments.contains("-Dcidra.execution.node-id=local-executor-2"), arguments.toString());
    }

    @Test
    void theMarkerNamesTheComponentAndTheCanonicalStateDirectory() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("home")));

        assertEquals(
                "-Ddev.cidra.platform=s3proxy@" + dir.toRealPath().resolve("home"),
                PlatformHome.of(link).marker(Replica.first(Component.S3PROXY)));
    }

    @Test
    void theExecutorKeepsItsFilesInTheStateDirectoryAndRunsWithThisJvmsJitOptions() throws IOException {
        var home = PlatformHome.of(dir);
        Path jar = dir.resolve("quarkus-run.jar");
        List<String> arguments = new ExecutorNodeService(
                        home,
                        PORTS,
                        jar,
                        1,
                        URI.create("http://127.0.0.1:5001"),
                        List.of("/srv/a", "/srv/b:rw"),
                        Optional.empty())
                .jvmArguments();

        for (String expected : List.of(
                "-Dquarkus.http.port=18081",
                "-Dcidra.kafka.bootstrap-servers=127.0.0.1:19092",
                "-Dcidra.s3.endpoint=http://127.0.0.1:19000",
                "-Dcidra.registry.bucket=" + GatewayService.BUCKET,
                "-Dcidra.jobs.work-dir=" + dir.toRealPath().resolve("executor/work"),
                "-Dcidra.jobs.public-url=http://127.0.0.1:18081",
                "-Dcidra.execution.node-id=local-executor-1",
                "-Dcidra.auth.gateway-token-file=" + dir.toRealPath().resolve("auth/executor-token"),
                "-Dcidra.job-storage.tenants.default.write=*",
                "-Dcidra.ipfs.gateway=http://127.0.0.1:5001",
                "-Dcidra.inputs.local-directories=/srv/a,/srv/b:rw")) {
            assertTrue(arguments.contains(expected), expected + " in " + arguments);
        }
        // Surefire runs this test with the Graal JIT options, as the launcher runs the CLI.
        assertTrue(arguments.contains("-XX:+EnableJVMCI"), arguments.toString());
        assertTrue(arguments.stream().anyMatch(a -> a.startsWith("--upgrade-module-path=")), arguments.toString());
        assertEquals(List.of("-jar", jar.toString()), arguments.subList(arguments.size() - 2, arguments.size()));
    }

    @Test
    void laterReplicasListenAHundredPortsApartAndKeepTheirOwnFilesAndNodeIds() throws IOException {
        var home = PlatformHome.of(dir);
        var ports = new Ports(19092, 19093, 19000, 18081, 18080, 2, 3);
        Path jar = dir.resolve("quarkus-run.jar");

        List<String> executor = new ExecutorNodeService(
                        home, ports, jar, 2, URI.create(ModuleSource.DEFAULT_IPFS_GATEWAY), List.of(), Optional.empty())
                .jvmArguments();
        for (String expected : List.of(
                "-Dquarkus.http.port=18181",
                "-Dcidra.execution.node-id=local-executor-2",
                "-Dcidra.jobs.work-dir=" + dir.toRealPath().resolve("executor-2/work"),
                "-Dcidra.jobs.results-dir=" + dir.toRealPath().resolve("executor-2/results"),
                "-Dcidra.jobs.public-url=http://127.0.0.1:18181")) {
            assertTrue(executor.contains(expected), expected + " in " + executor);
        }
        List<String> gateway = new GatewayService(home, ports, jar, 3).jvmArguments();
        assertTrue(gateway.contains("-Dquarkus.http.port=18280"), gateway.toString());
        assertEquals(
                List.of("kafka", "s3proxy", "gateway", "gateway-2", "gateway-3", "executor", "executor-2"),
                ports.replicas().stream().map(Replica::id).toList());
        assertEquals(URI.create("http://127.0.0.1:18080"), ports.gatewayUri());
    }

    @Test
    void replicaIdsNameTheFirstReplicaByItsComponentAndParseBack() {
        assertEquals("executor", Replica.first(Component.EXECUTOR).id());
        assertEquals("gateway-2", new Replica(Component.GATEWAY, 2).id());
        assertEquals(Optional.of(new Replica(Component.GATEWAY, 2)), Replica.parse("gateway-2"));
        assertEquals(Optional.of(Replica.first(Component.KAFKA)), Replica.parse("kafka"));
        for (String notOne : List.of("gateway-1", "gateway-0", "gateway-x", "lock", "gateway-")) {
            assertEquals(Optional.empty(), Replica.parse(notOne), notOne);
        }
    }

    @Test
    void replicaCountsMustBeInRangeAndTheirPortsDistinct() {
        var none = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 9093, 9000, 8081, 8080, 0, 1));
        assertEquals("--executors must be in 1..9, not 0", none.getMessage());
        var many = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 9093, 9000, 8081, 8080, 1, 10));
        assertEquals("--gateways must be in 1..9, not 10", many.getMessage());
        var clash = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 9093, 9000, 8180, 8080, 1, 2));
        assertEquals(
                "--gateway-port (gateway-2 listens on it + 100) and --executor-port are both 8180", clash.getMessage());
    }

    @Test
    void portsMustBeDistinctAndInRange() {
        var same = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 9093, 9092, 8081, 8080));
        assertEquals("--kafka-port and --s3-port are both 9092", same.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 9093, 9000, 8081, 0));
        assertEquals("--gateway-port must be a port in 1..65535, not 0", zero.getMessage());
        var high = assertThrows(IllegalArgumentException.class, () -> new Ports(9092, 65536, 9000, 8081, 8080));
        assertEquals("--kafka-controller-port must be a port in 1..65535, not 65536", high.getMessage());
    }

    @Test
    void portsAreNamedByTheirOptionForTheComponentsAsked() {
        assertEquals(
                Map.of("--kafka-port", 19092, "--kafka-controller-port", 19093, "--s3-port", 19000),
                PORTS.byOption(List.of(Replica.first(Component.S3PROXY), Replica.first(Component.KAFKA))));
        assertEquals(Map.of("--gateway-port", 18080), PORTS.byOption(List.of(Replica.first(Component.GATEWAY))));
        assertEquals(
                Map.of("--executor-port (executor-3 listens on it + 200)", 18281),
                new Ports(19092, 19093, 19000, 18081, 18080, 3, 1)
                        .byOption(List.of(new Replica(Component.EXECUTOR, 3))));
    }

    @Test
    void portsAreStoredAndLoadedBack() throws IOException {
        Path file = dir.resolve("ports.properties");
        PORTS.store(file);

        assertEquals(PORTS, Ports.load(file));
        assertEquals(
                Map.of(
                        "kafka-port",
                        "19092",
                        "kafka-controller-port",
                        "19093",
                        "s3-port",
                        "19000",
                        "executor-port",
                        "18081",
                        "gateway-port",
                        "18080",
                        "executors",
                        "1",
                        "gateways",
                        "1"),
                parsed(Files.readString(file)));
        var replicas = new Ports(19092, 19093, 19000, 18081, 18080, 2, 3);
        replicas.store(file);
        assertEquals(replicas, Ports.load(file));
    }

    @Test
    void storedPortsWithoutCountsAreOneGatewayAndOneExecutor() throws IOException {
        Path file = Files.writeString(
                dir.resolve("ports.properties"),
                "kafka-port=19092\nkafka-controller-port=19093\ns3-port=19000\nexecutor-port=18081\ngateway-port=18080\n");

        assertEquals(PORTS, Ports.load(file));
    }

    @Test
    void storedPortsMissingOneAreRejectedNamingFileAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("ports.properties"), "kafka-port=1\nkafka-controller-port=2\n");

        var e = assertThrows(IOException.class, () -> Ports.load(file));
        assertEquals(file + " has no s3-port", e.getMessage());
    }

    @Test
    void aConfigValueThatWouldNeedEscapingIsRejectedNamingTheKey() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> ConfigFile.render("x", Map.of("log.dirs", "C:\\kafka")));
        assertTrue(e.getMessage().startsWith("the value of log.dirs would need escaping"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.render("x", Map.of("a=b", "c")));
    }
}
