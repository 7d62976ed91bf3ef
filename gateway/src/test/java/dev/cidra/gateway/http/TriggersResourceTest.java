package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.TestTokens;
import dev.cidra.gateway.triggers.TriggerStats;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@code /v1/triggers} on a real broker: definitions go to, and come back from, {@link Topics#TRIGGERS}. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class TriggersResourceTest {
    private static final String CID = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a";

    @Inject
    ObjectMapper json;

    @Inject
    Admin admin;

    @Test
    void aTriggerIsDefinedListedAndDeletedThroughItsTopic() throws Exception {
        String name = "words-" + UUID.randomUUID();
        String topic = name + ".in";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (var triggers = new KafkaStub(json, Topics.TRIGGERS)) {
            triggers.sendBytes(topic, "k", "before".getBytes(StandardCharsets.UTF_8), Map.of());
            triggers.sendBytes(topic, "k", "before, too".getBytes(StandardCharsets.UTF_8), Map.of());

            var created = given().contentType("application/json")
                    .body(Map.of("name", name, "topic", topic, "module", CID, "output", Map.of("topic", name + ".out")))
                    .post("/v1/triggers");
            assertEquals(201, created.statusCode(), created.asString());
            assertTrue(created.header("Location").endsWith("/v1/triggers/" + name), created.header("Location"));
            Trigger trigger = json.readValue(created.asByteArray(), Trigger.class);
            assertEquals(
                    Map.of(0, 2L), trigger.startOffsets(), "it starts after the two records already there: " + trigger);
            assertTrue(
                    admin.listTopics().names().get().containsAll(List.of(topic, name + ".out", Topics.DEAD_LETTER)),
                    "the gateway created the topics");

            var kept = triggers.await(r -> KafkaStub.key(r).equals(name));
            assertEquals(trigger, json.readValue(kept.value(), Trigger.class));
            assertEquals(
                    trigger, json.readValue(given().get("/v1/triggers/" + name).asByteArray(), Trigger.class));
            assertTrue(given().get("/v1/triggers")
                    .jsonPath()
                    .getList("triggers.name")
                    .contains(name));

            assertProblem(
                    given().contentType("application/json")
                            .body(Map.of("name", name, "topic", topic, "module", CID, "output", Map.of("topic", "x")))
                            .post("/v1/triggers"),
                    409,
                    JobsResourceTest.TYPES + "trigger-exists",
                    "/v1/triggers");

            assertEquals(204, given().delete("/v1/triggers/" + name).statusCode());
            assertNull(triggers.await(r -> KafkaStub.key(r).equals(name) && r.value() == null)
                    .value());
            assertEquals(
                    "no trigger " + name + " is defined",
                    assertProblem(
                            given().get("/v1/triggers/" + name),
                            404,
                            JobsResourceTest.TYPES + "trigger-not-found",
                            "/v1/triggers/" + name));
            assertProblem(
                    given().delete("/v1/triggers/" + name),
                    404,
                    JobsResourceTest.TYPES + "trigger-not-found",
                    "/v1/triggers/" + name);
            assertFalse(given().get("/v1/triggers")
                    .jsonPath()
                    .getList("triggers.name")
                    .contains(name));
        }
    }

    @Test
    void aTriggersStatsFoldItsGroupsOffsetsAndTheLiveNodesCounts() throws Exception {
        String name = "stats-" + UUID.randomUUID();
        String topic = name + ".in";
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        try (var kafka = new KafkaStub(json, Topics.NODES)) {
            kafka.sendBytes(topic, "k", "before".getBytes(StandardCharsets.UTF_8), Map.of());
            TestTokens.caller = TestTokens.TENANT_A;
            var created = given().contentType("application/json")
                    .body(Map.of("name", name, "topic", topic, "module", CID, "output", Map.of("topic", name + ".out")))
                    .post("/v1/triggers");
            assertEquals(201, created.statusCode(), created.asString());
            Trigger trigger = json.readValue(created.asByteArray(), Trigger.class);
            int started = trigger.startOffsets().entrySet().stream()
                    .filter(e -> e.getValue() == 1L)
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            for (int i = 0; i < 5; i++) {
                kafka.sendBytes(topic, "k", ("after " + i).getBytes(StandardCharsets.UTF_8), Map.of());
            }
            admin.alterConsumerGroupOffsets(
                            trigger.groupId(), Map.of(new TopicPartition(topic, started), new OffsetAndMetadata(4)))
                    .all()
                    .get();
            String nodeId = "node-" + UUID.randomUUID();
            kafka.send(
                    Topics.NODES,
                    nodeId,
                    NodesResourceTest.node(
                            nodeId,
                            Map.of(),
                            List.of(),
                            Map.of(
                                    trigger.id(),
                                    new NodeInfo.TriggerCounts(2, 1, 4),
                                    "another-incarnation",
                                    new NodeInfo.TriggerCounts(50, 50, 50))),
                    Map.of());

            var stats = awaitStats(name, s -> s.nodes().contains(nodeId));
            assertEquals(3, stats.consumed(), "from its start (1) to its commit (4): " + stats);
            assertEquals(2, stats.lag(), "the records after 4: " + stats);
            var partition = stats.partitions().get(started);
            assertEquals(new TriggerStats.Partition(started, 1, 4, 6, 2), partition);
            assertEquals(
                    new TriggerStats.Partition(1 - started, 0, 0, 0, 0),
                    stats.partitions().get(1 - started));
            assertEquals(List.of(2L, 1L, 4L), List.of(stats.succeeded(), stats.deadLettered(), stats.failedAttempts()));

            TestTokens.caller = TestTokens.TENANT_B;
            assertProblem(
                    given().get("/v1/triggers/" + name + "/stats"),
                    404,
                    JobsResourceTest.TYPES + "trigger-not-found",
                    "/v1/triggers/" + name + "/stats");
        }
    }

    private TriggerStats awaitStats(String name, Predicate<TriggerStats> condition) throws Exception {
        long deadline = System.nanoTime() + KafkaStub.WAIT.toNanos();
        TriggerStats stats = null;
        while (System.nanoTime() < deadline) {
            var response = given().get("/v1/triggers/" + name + "/stats");
            assertEquals(200, response.statusCode(), response.asString());
            stats = json.readValue(response.asByteArray(), TriggerStats.class);
            if (condition.test(stats)) {
                return stats;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the stats of " + name + " never matched: " + stats);
    }
}
