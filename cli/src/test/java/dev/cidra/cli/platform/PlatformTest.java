package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the real {@code cidra up}, {@code status} and {@code down} in child JVMs against a temporary state directory on
 * free loopback ports, with the platform jars the build resolved from {@code cli/platform/pom.xml}.
 */
class PlatformTest {
    private static final Path PLATFORM_LIB = TestPlatform.PLATFORM_LIB;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final byte[] OBJECT = "kept across restarts\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private TestPlatform platform;
    private Path home;
    private Ports ports;

    @BeforeEach
    void freePorts() throws IOException {
        platform = new TestPlatform(dir.resolve("home"));
        home = platform.home;
        ports = platform.ports;
    }

    @AfterEach
    void stopWhateverRuns() throws Exception {
        cidra(PLATFORM_LIB, "down", "--home", home.toString());
    }

    private Run cidra(Path platformLib, String... args) throws IOException, InterruptedException {
        return new CidraProcess(
                        dir, List.of("-D" + PlatformHome.LIB_PROPERTY + "=" + platformLib.toAbsolutePath()), TIMEOUT)
                .run(args);
    }

    private Run up(Path platformLib) throws IOException, InterruptedException {
        return cidra(platformLib, upArgs(false));
    }

    private String[] upArgs(boolean services) {
        return platform.upArgs(services);
    }

    private Run up() throws IOException, InterruptedException {
        return up(PLATFORM_LIB);
    }

    private Map<Component, PidFile> pidFiles() throws IOException {
        var home = PlatformHome.of(this.home);
        return Map.of(
                Component.KAFKA,
                        PidFile.read(home.pidFile(Replica.first(Component.KAFKA)))
                                .orElseThrow(),
                Component.S3PROXY,
                        PidFile.read(home.pidFile(Replica.first(Component.S3PROXY)))
                                .orElseThrow());
    }

    private static boolean alive(PidFile recorded) {
        return ProcessHandle.of(recorded.pid())
                .filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().startInstant())
                .filter(recorded.start()::equals)
                .isPresent();
    }

    private static void assertClosed(int port) {
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void upStartsKafkaAndS3DownStopsThemAndTheNextUpFindsTheData() throws Exception {
        Run first = up();
        assertEquals(0, first.exit(), first.stderr());
        assertTrue(first.stdout().contains("Kafka bootstrap   127.0.0.1:" + ports.kafka()), first.stdout());
        assertTrue(first.stdout().contains("S3 endpoint       http://127.0.0.1:" + ports.s3()), first.stdout());
        assertTrue(first.stderr().contains("executor: skipped (--no-executor)"), first.stderr());
        assertTrue(first.stderr().contains("gateway: skipped (--no-gateway)"), first.stderr());
        Map<Component, PidFile> started = pidFiles();

        try (Admin admin = KafkaService.admin(home, ports)) {
            admin.createTopics(List.of(new NewTopic("invocations", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("invocations"));
        }
        try (S3Client s3 = S3ProxyService.connection(ports).newClient()) {
            s3.createBucket(b -> b.bucket("modules"));
            s3.putObject(b -> b.bucket("modules").key("hello.txt"), RequestBody.fromBytes(OBJECT));
            assertArrayEquals(
                    OBJECT,
                    s3.getObjectAsBytes(b -> b.bucket("modules").key("hello.txt"))
                            .asByteArray());
        }

        Run again = up();
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stderr().contains("cidra: the platform is already running"), again.stderr());
        assertEquals(started, pidFiles());

        Run status = cidra(PLATFORM_LIB, "status", "--home", home.toString());
        assertEquals(0, status.exit(), status.stderr());
        assertTrue(
                status.stdout()
                        .contains("kafka       running (pid "
                                + started.get(Component.KAFKA).pid() + ", port " + ports.kafka() + ", ready)"),
                status.stdout());
        assertTrue(status.stdout().contains("s3proxy     running (pid "), status.stdout());
        assertTrue(status.stdout().contains("gateway     not started (port "), status.stdout());

        Run down = cidra(PLATFORM_LIB, "down", "--home", home.toString());
        assertEquals(0, down.exit(), down.stderr());
        assertEquals(
                List.of("s3proxy: stopped", "kafka: stopped"),
                down.stdout().lines().map(line -> line.replaceAll(" in .*", "")).toList());
        started.values().forEach(recorded -> assertFalse(alive(recorded), recorded + " still runs"));
        for (int port : List.of(ports.kafka(), ports.kafkaController(), ports.s3())) {
            assertClosed(port);
        }
        assertEquals(Set.of("lock"), fileNames(PlatformHome.of(home).runDir()));

        Run second = up();
        assertEquals(0, second.exit(), second.stderr());
        assertFalse(second.stderr().contains("formatting"), second.stderr());
        try (Admin admin = KafkaService.admin(home, ports)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("invocations"));
        }
        try (S3Client s3 = S3ProxyService.connection(ports).newClient()) {
            assertArrayEquals(
                    OBJECT,
                    s3.getObjectAsBytes(b -> b.bucket("modules").key("hello.txt"))
                            .asByteArray());
        }
        assertEquals(0, cidra(PLATFORM_LIB, "down", "--home", home.toString()).exit());
    }

    /** {@code up} warmed the request path with every call answered before it said the platform is up. */
    private static void assertWarmedUp(Run up) {
        String warming = "request path: warming up with " + TestPlatform.WARM_UP_CALLS + " calls ... ";
        int warmed = up.stderr().indexOf(warming);
        assertTrue(warmed >= 0, up.stderr());
        String line = up.stderr().substring(warmed).lines().findFirst().orElseThrow();
        assertTrue(line.matches(".* warm in \\d+ ms \\(\\d+ calls/s\\)"), line);
        assertTrue(up.stdout().contains("The Cidra platform is up."), up.stdout());
    }

    /**
     * The README's first command: the whole platform (Kafka, S3Proxy, an executor, the gateway, from the services'
     * {@code quarkus-run.jar} files the reactor built before this module) and the demo through the gateway's API.
     */
    @Test
    void upStartsEveryServiceAndTheDemoRunsAFunctionEndToEnd() throws Exception {
        var cidra = new CidraProcess(dir, TestPlatform.servicesJvmOptions(), TIMEOUT);

        Run up = cidra.run(upArgs(true));
        assertEquals(0, up.exit(), up.stderr());
        for (Component component : Component.values()) {
            String starting = component.id() + ": starting ... ";
            assertTrue(
                    up.stderr().lines().anyMatch(line -> line.startsWith(starting) && line.contains(" ready in ")),
                    up.stderr());
        }
        assertWarmedUp(up);

        Run demo = cidra.run("demo", "--home", home.toString());
        assertEquals(0, demo.exit(), demo.stderr() + demo.stdout());
        assertTrue(demo.stdout().contains("lines words bytes of stdin: 2 9 44"), demo.stdout());
        assertTrue(demo.stdout().contains("  fox.txt 2 9 44\n  lorem.txt 3 12 79\n  wasm.txt 1 6 46\n"), demo.stdout());
        assertTrue(demo.stdout().contains("stdout: 3 files: 6 27 169"), demo.stdout());
        assertTrue(demo.stdout().contains("result files: "), demo.stdout());
        var cid = java.util.regex.Pattern.compile("CID (\\S+)").matcher(demo.stderr());
        assertTrue(cid.find(), demo.stderr());

        executorKilledMidStreamIsRestartedByUpAndEveryJobCompletesOnce(cidra, cid.group(1));

        Run down = cidra.run("down", "--home", home.toString());
        assertEquals(0, down.exit(), down.stderr());
        assertEquals(
                List.of("executor: stopped", "gateway: stopped", "s3proxy: stopped", "kafka: stopped"),
                down.stdout().lines().map(line -> line.replaceAll(" in .*", "")).toList());
    }

    /**
     * Submits jobs, and produces records to a trigger's topic, while the executor is killed (SIGKILL) and {@code up}
     * starts it again: every job completes, with exactly one terminal event (read committed) and one result object,
     * and every record has exactly one output (read committed), the function's answer for it.
     */
    private void executorKilledMidStreamIsRestartedByUpAndEveryJobCompletesOnce(CidraProcess cidra, String cid)
            throws Exception {
        int jobs = 30;
        URI gateway = ports.gatewayUri();
        String token = LocalCredentials.of(home).adminToken().orElseThrow();
        var jobIds = new ArrayList<String>();
        Run trigger = cidra.run(
                "trigger",
                "create",
                "restart",
                "--topic",
                "restart.in",
                "--module",
                cid,
                "--output-topic",
                "restart.out",
                "--home",
                home.toString());
        assertEquals(0, trigger.exit(), trigger.stderr());
        assertEquals("restart  restart.in -> restart.out  " + cid + "\n", trigger.stdout());
        var expectedOutputs = new java.util.TreeMap<String, String>();
        try (HttpClient http = HttpClient.newHttpClient();
                var records = new KafkaProducer<String, String>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ports.kafkaBootstrap(),
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            PidFile executor = PidFile.read(PlatformHome.of(home).pidFile(Replica.first(Component.EXECUTOR)))
                    .orElseThrow();
            for (int i = 0; i < jobs; i++) {
                if (i == jobs / 3) {
                    ProcessHandle.of(executor.pid()).orElseThrow().destroyForcibly();
                }
                if (i == 2 * jobs / 3) {
                    Run up = cidra.run(
                            "up",
                            "--home",
                            home.toString(),
                            "--warm-up-calls",
                            Integer.toString(TestPlatform.WARM_UP_CALLS));
                    assertEquals(0, up.exit(), up.stderr());
                    assertWarmedUp(up);
                    assertTrue(
                            up.stderr().contains("kafka, s3proxy, gateway already running; starting executor"),
                            up.stderr());
                }
                for (int j = 0; j < 2; j++) {
                    String value = "record " + i + " of " + jobs + (j == 0 ? "" : " again") + "\n";
                    records.send(new ProducerRecord<>("restart.in", "r-" + i + "-" + j, value))
                            .get();
                    expectedOutputs.put("r-" + i + "-" + j, "1 " + value.split(" ").length + " " + value.length());
                }
                String spec = """
                        {"Tasks": [{
                          "Name": "count",
                          "Engine": {"Type": "wasm", "Params": {"EntryModule": "%s", "Parameters": ["/inputs"]}},
                          "InputSources": [{"Source": {"Type": "s3", "Params": {"Bucket": "%s", "Key": "inputs/"}},
                                            "Target": "/inputs"}],
                          "Publisher": {"Type": "s3", "Params": {"Bucket": "%s", "Key": "restart/{jobID}"}}
                        }]}
                        """.formatted(cid, DemoCommand.BUCKET, DemoCommand.BUCKET);
                var response = http.send(
                        HttpRequest.newBuilder(gateway.resolve("/v1/jobs"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(spec))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, response.statusCode(), response.body());
                var matcher = java.util.regex.Pattern.compile("\"jobID\"\\s*:\\s*\"([^\"]+)\"")
                        .matcher(response.body());
                assertTrue(matcher.find(), response.body());
                jobIds.add(matcher.group(1));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (String jobId : jobIds) {
                String body;
                do {
                    assertTrue(System.nanoTime() < deadline, "job " + jobId + " did not complete in time");
                    Thread.sleep(50);
                    body = http.send(
                                    HttpRequest.newBuilder(gateway.resolve("/v1/jobs/" + jobId))
                                            .header("Authorization", "Bearer " + token)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                } while (!body.contains("\"state\":\"completed\"") && !body.contains("\"state\":\"failed\""));
                assertTrue(body.contains("\"state\":\"completed\""), body);
            }
        }
        var terminal = new java.util.HashMap<String, Integer>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ports.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            var partitions = consumer.partitionsFor("cidra.job-events").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (jobIds.contains(record.key())
                            && (record.value().contains("\"state\":\"COMPLETED\"")
                                    || record.value().contains("\"state\":\"FAILED\""))) {
                        terminal.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        }
        for (String jobId : jobIds) {
            assertEquals(1, terminal.getOrDefault(jobId, 0), "terminal events of " + jobId + ": " + terminal);
        }
        assertEquals(
                expectedOutputs, CommittedRecords.read(ports.kafkaBootstrap(), "restart.out", expectedOutputs.size()));
        try (S3Client s3 = S3ProxyService.connection(ports).newClient()) {
            var keys =
                    s3.listObjectsV2Paginator(b -> b.bucket(DemoCommand.BUCKET).prefix("restart/")).contents().stream()
                            .map(object -> object.key())
                            .sorted()
                            .toList();
            assertEquals(
                    jobIds.stream()
                            .map(id -> "restart/" + id + ".tar.gz")
                            .sorted()
                            .toList(),
                    keys);
        }
    }

    @Test
    void aComponentThatFailsStopsWhatUpStartedAndShowsItsLog() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("broken-lib"));
        Files.createSymbolicLink(
                lib.resolve("kafka"), PLATFORM_LIB.resolve("kafka").toAbsolutePath());
        Files.writeString(Files.createDirectories(lib.resolve("s3proxy")).resolve("s3proxy.jar"), "not a jar");

        Run run = up(lib);

        assertEquals(1, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("kafka: starting ... ready in "), run.stderr());
        assertTrue(run.stderr().contains("s3proxy: starting ... failed\ns3proxy: had exited (pid "), run.stderr());
        assertTrue(run.stderr().contains("\nkafka: stopped in "), run.stderr());
        String error = run.stderr().substring(run.stderr().indexOf("cidra: "));
        assertTrue(
                error.startsWith("cidra: s3proxy exited with status 1 before it was ready; last lines of "
                        + PlatformHome.of(home).log(Replica.first(Component.S3PROXY)) + ":\n"),
                error);
        assertTrue(error.contains("Invalid or corrupt jarfile"), error);
        assertEquals(Set.of("lock"), fileNames(PlatformHome.of(home).runDir()));
        assertClosed(ports.kafka());
    }

    @Test
    void upRefusesATakenPortNamingItsOptionAndStartsNothing() throws Exception {
        try (var taken = new ServerSocket(ports.s3(), 1, InetAddress.getLoopbackAddress())) {
            Run run = up();

            assertEquals(
                    new Run(
                            1,
                            "",
                            "cidra: port " + ports.s3() + " on 127.0.0.1 is in use by another process; choose"
                                    + " another with --s3-port\n"),
                    run);
        }
        assertEquals(Set.of("lock"), fileNames(PlatformHome.of(home).runDir()));
    }

    @Test
    void downAndStatusWhenNothingRunsSaySo() throws Exception {
        Run down = cidra(PLATFORM_LIB, "down", "--home", home.toString());
        assertEquals(new Run(0, "cidra: the platform is not running (nothing recorded in " + home + ")\n", ""), down);
        Run status = cidra(PLATFORM_LIB, "status", "--home", home.toString());
        assertEquals(new Run(0, "cidra: the platform is not running (" + home + ")\n", ""), status);
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
