package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import dev.cidra.cli.platform.CommittedRecords;
import dev.cidra.cli.platform.SharedPlatform;
import dev.cidra.registry.Cid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cidra trigger ...} against the real local platform: records produced to the topic, outputs read back. */
class TriggerCommandsTest {
    @TempDir
    Path dir;

    @Test
    void aTriggerCreatedFromALocalModuleCountsEachRecordAndIsListedDescribedAndDeleted() throws Exception {
        var cli = new PlatformCli(dir);
        String name = "wc-" + UUID.randomUUID().toString().substring(0, 8);
        String cid = Cid.rawOf(Files.readAllBytes(Guests.WORDCOUNT)).toString();

        Run create = cli.run(
                "trigger",
                "create",
                name,
                "--topic",
                name + ".in",
                "--module",
                Guests.WORDCOUNT.toString(),
                "--output-topic",
                name + ".out",
                "--max-attempts",
                "2",
                "--backoff",
                "100ms");
        assertEquals(0, create.exit(), create.stderr());
        assertEquals(name + "  " + name + ".in -> " + name + ".out  " + cid + "\n", create.stdout());

        var platform = SharedPlatform.get();
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(name + ".in", "doc-1", "the quick brown fox\n"));
            producer.send(new ProducerRecord<>(name + ".in", "doc-2", "jumps over\nthe lazy dog\n"));
        }
        assertEquals(
                Map.of("doc-1", "1 4 20", "doc-2", "2 5 24"),
                CommittedRecords.read(platform.kafkaBootstrap(), name + ".out", 2));

        Run list = cli.run("trigger", "list");
        assertEquals(0, list.exit(), list.stderr());
        assertTrue(list.stdout().contains(name + "  " + name + ".in -> " + name + ".out  " + cid), list.stdout());
        Run describe = cli.run("trigger", "describe", name);
        assertEquals(0, describe.exit(), describe.stderr());
        assertTrue(describe.stdout().contains("\"maxAttempts\" : 2"), describe.stdout());
        assertTrue(describe.stdout().contains("\"backoffMillis\" : 100"), describe.stdout());
        Run stats = awaitStats(cli, name, "succeeded 2  dead-lettered 0  failed attempts 0");
        assertTrue(stats.stdout().startsWith(name + "  consumed 2  lag 0\n"), stats.stdout());

        assertEquals(new Run(0, "deleted trigger " + name + "\n", ""), cli.run("trigger", "delete", name));
        assertEquals(
                new Run(1, "", "cidra: no trigger " + name + " is defined\n"), cli.run("trigger", "describe", name));
    }

    /** {@code cidra trigger stats NAME} once its output contains {@code counts} (executors announce them periodically). */
    private static Run awaitStats(PlatformCli cli, String name, String counts) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Run stats;
        do {
            stats = cli.run("trigger", "stats", name);
            assertEquals(0, stats.exit(), stats.stderr());
            if (stats.stdout().contains(counts)) {
                return stats;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the stats never showed " + counts + ": " + stats.stdout());
    }

    @Test
    void anInvalidTriggerIsTheGatewaysDetailOnOneLine() throws Exception {
        var cli = new PlatformCli(dir);
        String cid = Cid.rawOf(Files.readAllBytes(Guests.WORDCOUNT)).toString();

        Run run = cli.run(
                "trigger", "create", "sneaky", "--topic", "in", "--module", cid, "--output-topic", "cidra.jobs");

        assertEquals(
                new Run(
                        1,
                        "",
                        "cidra: output.topic \"cidra.jobs\" is one of Cidra's own topics (cidra.*); a trigger may not"
                                + " use it\n"),
                run);
        assertEquals(
                2,
                cli.run("trigger", "create", "x", "--topic", "in", "--module", cid)
                        .exit());
    }
}
