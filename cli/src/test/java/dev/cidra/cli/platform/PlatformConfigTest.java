package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

        assertEquals(home.log(Component.KAFKA).toString(), config.get("appender.file.fileName"));
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
        List<String> arguments = new GatewayService(PlatformHome.of(dir), PORTS, jar).jvmArguments();

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
    }

    @Test
    void theMarkerNamesTheComponentAndTheCanonicalStateDirectory() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("home")));

        assertEquals(
                "-Ddev.cidra.platform=s3proxy@" + dir.toRealPath().resolve("home"),
                PlatformHome.of(link).marker(Component.S3PROXY));
    }

    @Test
    void theExecutorKeepsItsFilesInTheStateDirectoryAndRunsWithThisJvmsJitOptions() throws IOException {
        var home = PlatformHome.of(dir);
        Path jar = dir.resolve("quarkus-run.jar");
        List<String> arguments = new ExecutorNodeService(home, PORTS, jar).jvmArguments();

        for (String expected : List.of(
                "-Dquarkus.http.port=18081",
                "-Dcidra.kafka.bootstrap-servers=127.0.0.1:19092",
                "-Dcidra.s3.endpoint=http://127.0.0.1:19000",
                "-Dcidra.registry.bucket=" + GatewayService.BUCKET,
                "-Dcidra.jobs.work-dir=" + dir.toRealPath().resolve("executor/work"),
                "-Dcidra.jobs.public-url=http://127.0.0.1:18081",
                "-Dcidra.auth.gateway-token-file=" + dir.toRealPath().resolve("auth/executor-token"),
                "-Dcidra.job-storage.tenants.default.write=*")) {
            assertTrue(arguments.contains(expected), expected + " in " + arguments);
        }
        // Surefire runs this test with the Graal JIT options, as the launcher runs the CLI.
        assertTrue(arguments.contains("-XX:+EnableJVMCI"), arguments.toString());
        assertTrue(arguments.stream().anyMatch(a -> a.startsWith("--upgrade-module-path=")), arguments.toString());
        assertEquals(List.of("-jar", jar.toString()), arguments.subList(arguments.size() - 2, arguments.size()));
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
                PORTS.byOption(EnumSet.of(Component.S3PROXY, Component.KAFKA)));
        assertEquals(Map.of("--gateway-port", 18080), PORTS.byOption(EnumSet.of(Component.GATEWAY)));
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
                        "18080"),
                parsed(Files.readString(file)));
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
