package dev.cidra.gateway;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.registry.Cid;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The object store is unreachable: a loopback port nothing listens on. */
@QuarkusTest
@TestProfile(StorageDownTest.Unreachable.class)
@WithTestResource(KafkaResource.class)
class StorageDownTest {
    @Inject
    GatewayConfig config;

    private static final String UNAVAILABLE = "tag:cidra.dev,2026:problems/storage-unavailable";

    public static final class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cidra.s3.endpoint", "http://127.0.0.1:" + closedPort(),
                    "cidra.s3.access-key-id", "unused",
                    "cidra.s3.secret-access-key", "unused",
                    "cidra.registry.create-bucket", "false");
        }
    }

    @Test
    void notReadyButAlive() {
        Response ready = given().get("/q/health/ready");

        assertEquals(503, ready.statusCode(), ready.asString());
        assertEquals("DOWN", ready.jsonPath().getString("status"));
        assertEquals("DOWN", ready.jsonPath().getString("checks.find { it.name == 'module-storage' }.status"));
        String error = ready.jsonPath().getString("checks.find { it.name == 'module-storage' }.data.error");
        assertTrue(
                error.startsWith(
                        "bucket cidra-modules at " + config.s3().endpoint().orElseThrow() + " is not usable: "),
                error);
        assertEquals("UP", given().get("/q/health/live").jsonPath().getString("status"));
    }

    @Test
    void requestsNeedingStorageAreUnavailableProblems() {
        String cid = Cid.rawOf(WasmFixtures.load("lib")).toString();

        Response get = given().get("/v1/modules/{cid}", cid);
        Response upload = given().contentType("application/wasm")
                .body(WasmFixtures.load("lib"))
                .post("/v1/modules");

        String detail = assertProblem(get, 503, UNAVAILABLE, "/v1/modules/" + cid);
        assertProblem(upload, 503, UNAVAILABLE, "/v1/modules");
        assertFalse(detail.contains("127.0.0.1"), detail);
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
