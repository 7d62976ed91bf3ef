package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.contract.KafkaConnection;
import dev.cidra.contract.KafkaSettings;
import dev.cidra.contract.Producers;
import dev.cidra.contract.ProvidedSet;
import dev.cidra.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cidra up --secure}: Kafka refuses a client that does not log in or logs in with a wrong password, the
 * producer's principal may submit jobs but not write {@link Topics#JOB_EVENTS} nor a provided set's requests, and the gateway and the executor, each
 * logged in as its own principal, still run a function end to end. No password appears in any log.
 */
class SecurePlatformTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private TestPlatform platform;

    @AfterEach
    void down() throws Exception {
        if (platform != null) {
            cidra().run("down", "--home", platform.home.toString());
        }
    }

    private CidraProcess cidra() {
        return new CidraProcess(dir, TestPlatform.servicesJvmOptions(), TIMEOUT);
    }

    @Test
    void kafkaAuthenticatesAndAuthorizesEveryClientAndThePlatformStillWorks() throws Exception {
        platform = new TestPlatform(dir.resolve("home"));
        var args = new ArrayList<>(List.of(platform.upArgs(true)));
        args.add("--secure");
        Run up = cidra().run(args.toArray(String[]::new));
        assertEquals(0, up.exit(), up.stderr());

        var security = KafkaSecurity.of(platform.home);
        Path credentials =
                security.passwordFile(KafkaSecurity.Principal.PRODUCER).getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
        for (var principal : KafkaSecurity.Principal.values()) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(security.passwordFile(principal))));
        }
        String bootstrap = platform.ports.kafkaBootstrap();

        var anonymous =
                assertThrows(ExecutionException.class, () -> describeCluster(KafkaConnection.plaintext(bootstrap)));
        // A client that does not speak SASL gets no answer but a closed connection, until its call times out.
        assertInstanceOf(TimeoutException.class, anonymous.getCause(), anonymous.toString());
        var wrongPassword = assertThrows(
                ExecutionException.class,
                () -> describeCluster(new KafkaConnection(
                        bootstrap,
                        Optional.of(new KafkaConnection.Scram(
                                "SASL_PLAINTEXT", KafkaSecurity.Principal.GATEWAY.user, "not-the-password")))));
        assertInstanceOf(SaslAuthenticationException.class, wrongPassword.getCause(), wrongPassword.toString());

        KafkaConnection producer = security.connection(KafkaSecurity.Principal.PRODUCER, bootstrap);
        try (var client = Producers.create(producer, "secure-test", CLIENT_TIMEOUT, Optional.empty())) {
            byte[] forged = "{\"jobID\":\"j-forged\",\"state\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
            var refused = assertThrows(ExecutionException.class, () -> Producers.send(
                            client, new ProducerRecord<>(Topics.JOB_EVENTS, null, forged))
                    .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused.toString());
            String providers = new ProvidedSet(List.of("bafkreihwd7lc6v6ecju4hqr7gyhov4ijbmo3tq4gkeigm5gurpdf3ouixi"))
                    .invocationsTopic();
            var toProviders = assertThrows(ExecutionException.class, () -> Producers.send(
                            client, new ProducerRecord<>(providers, null, forged))
                    .get());
            assertInstanceOf(TopicAuthorizationException.class, toProviders.getCause(), toProviders.toString());
        }
        try (var client = Producers.create(producer, "secure-test-submit", CLIENT_TIMEOUT, Optional.empty())) {
            byte[] spec = "{}".getBytes(StandardCharsets.UTF_8);
            Producers.send(client, new ProducerRecord<>(Topics.JOB_SUBMISSIONS, null, spec))
                    .get();
        }

        Run demo = cidra().run("demo", "--home", platform.home.toString());
        assertEquals(0, demo.exit(), demo.stderr() + demo.stdout());
        assertTrue(demo.stdout().contains("stdout: 3 files: 6 27 169"), demo.stdout());

        var secrets = new ArrayList<String>();
        for (var principal : KafkaSecurity.Principal.values()) {
            secrets.add(Files.readString(security.passwordFile(principal)).strip());
        }
        secrets.add(LocalCredentials.of(platform.home).adminToken().orElseThrow());
        secrets.add(Files.readString(LocalCredentials.of(platform.home).executorTokenFile())
                .strip());
        secrets.add(S3ProxyService.SECRET_KEY);
        try (Stream<Path> logs = Files.list(PlatformHome.of(platform.home).logsDir())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), log + " shows a secret");
                }
            }
        }
    }

    @Test
    void aStateDirectoryStartedWithoutSecureIsNotOpenedSecureWithoutItsUsers() throws Exception {
        platform = new TestPlatform(dir.resolve("home"));
        Run plain = cidra().run(platform.upArgs(false));
        assertEquals(0, plain.exit(), plain.stderr());
        assertEquals(0, cidra().run("down", "--home", platform.home.toString()).exit());

        var args = new ArrayList<>(List.of(platform.upArgs(false)));
        args.add("--secure");
        Run secure = cidra().run(args.toArray(String[]::new));

        assertEquals(1, secure.exit(), secure.stderr());
        String refusal = "cidra: kafka: the storage in " + platform.home.resolve("kafka/data") + " was formatted"
                + " without --secure, so its broker has no SCRAM users; start the secure platform in a new --home";
        assertTrue(secure.stderr().lines().anyMatch(refusal::equals), secure.stderr());
        assertFalse(KafkaSecurity.of(platform.home).enabled(), "the home was not made secure");
    }

    private static void describeCluster(KafkaConnection connection) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.admin(connection, "secure-test", CLIENT_TIMEOUT))) {
            admin.describeCluster().nodes().get();
        }
    }
}
