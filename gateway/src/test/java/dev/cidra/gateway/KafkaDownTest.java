package dev.cidra.gateway;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.testing.KafkaTestCluster;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Kafka goes away while the gateway runs: a cluster of this class's own, stopped by the test. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaDownTest.OwnKafka.class)
class KafkaDownTest {
    private static final String UNAVAILABLE = "tag:cidra.dev,2026:problems/messaging-unavailable";
    private static final String SPEC = "{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\":"
            + " {\"EntryModule\": \"bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a\"}}}]}";

    /** A cluster for this class only, with a short request timeout so that failures come fast. */
    public static final class OwnKafka implements QuarkusTestResourceLifecycleManager {
        static volatile KafkaTestCluster cluster;

        @Override
        public Map<String, String> start() {
            cluster = KafkaTestCluster.start();
            awaitTransactions(cluster.bootstrapServers());
            return Map.of(
                    "cidra.kafka.bootstrap-servers", cluster.bootstrapServers(), "cidra.kafka.request-timeout", "2s");
        }

        /**
         * Returns once the new cluster's transaction coordinator answers (it creates its log first): the gateway's first
         * transaction at startup must not depend on how fast that is, since it waits only the 2 s request timeout.
         */
        private static void awaitTransactions(String bootstrapServers) {
            try (var producer = new KafkaProducer<>(
                    Map.<String, Object>of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "kafka-down-test-warm-up"),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.initTransactions();
            }
        }

        @Override
        public void stop() {
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
        }
    }

    @Test
    void submissionsAreUnavailableProblemsOnceKafkaIsGone() {
        Response accepted = given().contentType("application/json").body(SPEC).post("/v1/jobs");
        assertEquals(202, accepted.statusCode(), accepted.asString());

        OwnKafka.cluster.close();
        OwnKafka.cluster = null;

        String detail = assertProblem(
                given().contentType("application/json").body(SPEC).post("/v1/jobs"), 503, UNAVAILABLE, "/v1/jobs");
        assertTrue(detail.startsWith("Kafka did not accept the request in time; retry later (reference "), detail);
        String path = "/v1/functions/bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a/invoke";
        assertProblem(given().post(path), 503, UNAVAILABLE, path);
        Response ready = given().get("/q/health/ready");
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", ready.jsonPath().getString("checks.find { it.name == 'kafka' }.status"));
    }
}
