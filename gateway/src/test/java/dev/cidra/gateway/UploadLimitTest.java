package dev.cidra.gateway;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UploadLimitTest.SmallLimit.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class UploadLimitTest {
    private static final int LIMIT = 200;
    /** With room above {@link #LIMIT} for the buffers the HTTP layer counts a chunked body in. */
    private static final int BODY_LIMIT = 64 * 1024;

    private static final String TOO_LARGE = "tag:cidra.dev,2026:problems/module-too-large";

    /** Modules of at most {@value #LIMIT} bytes, request bodies of at most {@value #BODY_LIMIT}. */
    public static final class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cidra.registry.max-module-bytes", Integer.toString(LIMIT),
                    "quarkus.http.limits.max-body-size", Integer.toString(BODY_LIMIT));
        }
    }

    @TestHTTPResource("/v1/modules")
    URI modules;

    @Test
    void aModuleAtTheLimitIsAccepted() {
        byte[] module = ofSize(LIMIT);

        assertEquals(
                201,
                given().contentType("application/wasm")
                        .body(module)
                        .post("/v1/modules")
                        .statusCode());
    }

    @Test
    void aLargerDeclaredBodyIsRejectedWith413() {
        byte[] module = ofSize(LIMIT + 1);

        String detail = assertProblem(
                given().contentType("application/wasm").body(module).post("/v1/modules"),
                413,
                TOO_LARGE,
                "/v1/modules");

        assertEquals(
                "the module has " + (LIMIT + 1) + " bytes, above the limit of " + LIMIT + " bytes per module", detail);
    }

    @Test
    void aBodyDeclaredLargerThanTheHttpLimitIsRejectedWith413() {
        String detail = assertProblem(
                given().contentType("application/wasm")
                        .body(ofSize(BODY_LIMIT + 1))
                        .post("/v1/modules"),
                413,
                "about:blank",
                "/v1/modules");

        assertEquals(
                "the request body has " + (BODY_LIMIT + 1) + " bytes, above the limit of " + BODY_LIMIT + " bytes",
                detail);
    }

    @Test
    void aLargerChunkedBodyIsRejectedWith413() throws IOException, InterruptedException {
        byte[] module = ofSize(BODY_LIMIT * 4);
        // HTTP/1.1: an h2c upgrade request cannot carry a body this large through Vert.x.
        try (var client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            // A body of unknown length is sent chunked, without Content-Length.
            var request = HttpRequest.newBuilder(modules)
                    .header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
                    .header("Content-Type", "application/wasm")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(module)))
                    .build();

            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertEquals(413, response.statusCode(), response.body());
            assertEquals(
                    "application/problem+json",
                    response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(
                    "the module has more than " + LIMIT + " bytes, above the limit of " + LIMIT + " bytes per module",
                    JsonPath.from(response.body()).getString("detail"));
        }
    }

    /** A valid module of exactly {@code size} bytes: lib.wasm and a custom section filling the rest. */
    private static byte[] ofSize(int size) {
        byte[] lib = WasmFixtures.load("lib");
        int payload = size - lib.length;
        byte[] module;
        do { // the section's header grows with its size: shrink the payload until the whole fits
            module = WasmFixtures.withCustomSection(lib, new byte[payload]);
            payload -= module.length - size;
        } while (module.length > size);
        assertEquals(size, module.length, "fixture size");
        return module;
    }
}
