package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node view, fed on Kafka by the test playing two executors. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class NodesResourceTest {
    @Inject
    ObjectMapper json;

    private KafkaStub kafka;

    @BeforeEach
    void kafka() {
        kafka = new KafkaStub(json, Topics.NODES);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    static NodeInfo node(String id, Map<String, String> labels, List<String> linked) {
        return node(id, labels, linked, Map.of());
    }

    static NodeInfo node(
            String id, Map<String, String> labels, List<String> linked, Map<String, NodeInfo.TriggerCounts> triggers) {
        return new NodeInfo(
                id,
                "0.1.0-SNAPSHOT",
                "GraalVM CE",
                "COMPILED",
                labels,
                linked,
                List.of(),
                2,
                1,
                Instant.now(),
                Instant.now(),
                60_000,
                new NodeInfo.Cache(3, 1, 0, 4_096),
                triggers);
    }

    /** Waits until the listing satisfies {@code condition}. */
    static List<Map<String, Object>> awaitNodes(Predicate<List<Map<String, Object>>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + KafkaStub.WAIT.toNanos();
        while (true) {
            List<Map<String, Object>> nodes = given().get("/v1/nodes")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("nodes");
            if (condition.test(nodes) || System.nanoTime() > deadline) {
                return nodes;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void announcedNodesAreListedAndDescribedUntilTheyLeave() throws Exception {
        String a = "node-" + UUID.randomUUID(), b = "node-" + UUID.randomUUID();
        kafka.send(Topics.NODES, a, node(a, Map.of("zone", "a"), List.of("bafkreia")), Map.of());
        kafka.send(Topics.NODES, b, node(b, Map.of(), List.of()), Map.of());

        var nodes = awaitNodes(list -> list.stream()
                        .filter(n ->
                                n.get("nodeId").equals(a) || n.get("nodeId").equals(b))
                        .count()
                == 2);
        assertTrue(nodes.stream().anyMatch(n -> n.get("nodeId").equals(a)), nodes.toString());
        var described = given().get("/v1/nodes/{id}", a)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("COMPILED", described.getString("engineMode"));
        assertEquals("a", described.getString("labels.zone"));
        assertEquals(List.of("bafkreia"), described.getList("linkedModules"));
        assertEquals(2, described.getInt("slots"));

        kafka.sendBytes(Topics.NODES, a, null, Map.of());
        nodes = awaitNodes(list -> list.stream().noneMatch(n -> n.get("nodeId").equals(a)));
        assertTrue(nodes.stream().noneMatch(n -> n.get("nodeId").equals(a)), "a said goodbye: " + nodes);
        assertTrue(nodes.stream().anyMatch(n -> n.get("nodeId").equals(b)), nodes.toString());
    }

    @Test
    void anUnknownNodeIsAProblem() {
        var response = given().get("/v1/nodes/{id}", "no-such-node");
        String detail =
                assertProblem(response, 404, JobsResourceTest.TYPES + "node-not-found", "/v1/nodes/no-such-node");
        assertTrue(detail.contains("no live node no-such-node"), detail);
    }

    @Test
    void unreadableOrMisKeyedAnnouncementsAreSkippedAndTheChannelGoesOn() throws Exception {
        String key = "node-" + UUID.randomUUID(), ghost = "ghost-" + UUID.randomUUID();
        kafka.sendBytes(Topics.NODES, key, "{\"nodeId\": 7".getBytes(), Map.of());
        kafka.send(Topics.NODES, key, node(ghost, Map.of(), List.of()), Map.of());
        // Same key, same partition: once this one is seen, the two before it were read.
        kafka.send(Topics.NODES, key, node(key, Map.of(), List.of()), Map.of());
        var nodes =
                awaitNodes(list -> list.stream().anyMatch(n -> n.get("nodeId").equals(key)));
        assertTrue(nodes.stream().anyMatch(n -> n.get("nodeId").equals(key)), "the channel went on: " + nodes);
        assertTrue(
                nodes.stream().noneMatch(n -> n.get("nodeId").equals(ghost)), "a record keyed by another id: " + nodes);
    }
}
