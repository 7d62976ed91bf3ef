package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
}
