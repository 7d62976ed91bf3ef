package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.WasmFixtures;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.InvalidModuleException;
import dev.cidra.registry.WasmModule;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ModulesResourceTest {
    private static final String WASM = "application/wasm";
    private static final String TYPES = "tag:cidra.dev,2026:problems/";

    @Inject
    S3Client s3;

    @Inject
    GatewayConfig config;

    @Test
    void uploadStoresTheModuleAndDescribesIt() {
        byte[] module = WasmFixtures.withCustomSection(WasmFixtures.load("imports-cid"), bytes(UUID.randomUUID()));
        String cid = Cid.rawOf(module).toString();

        Response response = upload(module, WASM);

        assertEquals(201, response.statusCode(), response.asString());
        assertTrue(response.header("Location").endsWith("/v1/modules/" + cid), response.header("Location"));
        assertMetadata(module, response);
        assertEquals(cid, response.jsonPath().getString("unixfsCid"), "up to 256 KiB both CIDs are the raw CID");
    }

    @Test
    void uploadingTheSameBytesAgainAnswers200AndWritesNothing() {
        s3.putBucketVersioning(request -> request.bucket(config.registry().bucket())
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        byte[] module = WasmFixtures.uniqueLib();
        String key = config.registry().keyPrefix() + Cid.rawOf(module);

        Response first = upload(module, WASM);
        Response again = upload(module, "application/octet-stream");

        assertEquals(201, first.statusCode(), first.asString());
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(first.jsonPath().getMap("$"), again.jsonPath().getMap("$"));
        var versions = s3.listObjectVersions(
                        request -> request.bucket(config.registry().bucket()).prefix(key))
                .versions();
        assertEquals(1, versions.size(), () -> "versions of " + key + ": " + versions);
    }

    @Test
    void headSaysWhetherACidIsStoredWithoutAnUpload() {
        byte[] module = WasmFixtures.uniqueLib();
        String cid = Cid.rawOf(module).toString();
        assertEquals(404, given().head("/v1/modules/{cid}", cid).statusCode(), "not uploaded yet");

        upload(module, WASM);

        assertEquals(200, given().head("/v1/modules/{cid}", cid).statusCode());
        assertEquals(400, given().head("/v1/modules/{cid}", "bafynotacid").statusCode());
    }

    @Test
    void metadataAndContentAreServedByCid() {
        byte[] module = WasmFixtures.uniqueLib();
        Response uploaded = upload(module, WASM);
        String cid = uploaded.jsonPath().getString("cid");

        Response metadata = given().get("/v1/modules/{cid}", cid);
        Response content = given().accept(WASM).get("/v1/modules/{cid}/content", cid);

        assertEquals(200, metadata.statusCode(), metadata.asString());
        assertMetadata(module, metadata);
        assertEquals(200, content.statusCode(), content.asString());
        assertEquals(WASM, content.contentType());
        assertArrayEquals(module, content.asByteArray());
    }

    @Test
    void aStoredObjectThatNoLongerMatchesItsCidIsAPreciseProblemAndIsNeverServed() {
        byte[] module = WasmFixtures.uniqueLib();
        String cid = upload(module, WASM).jsonPath().getString("cid");
        byte[] other = WasmFixtures.uniqueLib();
        s3.putObject(
                b -> b.bucket(config.registry().bucket()).key(config.registry().keyPrefix() + cid),
                RequestBody.fromBytes(other));

        for (String path : List.of("/v1/modules/" + cid + "/content", "/v1/modules/" + cid)) {
            Response response = given().get(path);

            String detail = assertProblem(response, 502, TYPES + "stored-module-corrupt", path);
            assertTrue(detail.startsWith("the object stored for " + cid + " is not that module ("), detail);
            assertTrue(detail.endsWith("an operator must delete it, then the module can be uploaded again"), detail);
        }
    }

    @Test
    void aModuleOver256KibIsAlsoStoredUnderItsIpfsAddCid() {
        byte[] payload = new byte[300 * 1024];
        Arrays.fill(payload, (byte) 7);
        System.arraycopy(bytes(UUID.randomUUID()), 0, payload, 0, 36);
        byte[] module = WasmFixtures.withCustomSection(WasmFixtures.load("lib"), payload);
        Cid raw = Cid.rawOf(module);

        Response uploaded = upload(module, WASM);

        assertEquals(201, uploaded.statusCode(), uploaded.asString());
        Cid unixFs = Cid.parse(uploaded.jsonPath().getString("unixfsCid"));
        assertEquals(Cid.Codec.DAG_PB, unixFs.codec(), "over 256 KiB ipfs add builds a dag-pb root");
        assertNotEquals(raw, unixFs);
        ContentStore registryStore = ContentStore.s3(
                s3, config.registry().bucket(), config.registry().keyPrefix());
        assertArrayEquals(module, registryStore.fetch(raw, module.length).orElseThrow());
        assertArrayEquals(module, registryStore.fetch(unixFs, module.length).orElseThrow());
        Response byUnixFsCid = given().get("/v1/modules/{cid}", unixFs.toString());
        assertEquals(200, byUnixFsCid.statusCode(), byUnixFsCid.asString());
        assertEquals(uploaded.jsonPath().getMap("$"), byUnixFsCid.jsonPath().getMap("$"));
    }

    @Test
    void anUnknownCidIsNotFound() {
        String cid = Cid.rawOf(bytes(UUID.randomUUID())).toString();

        for (String path : List.of("/v1/modules/" + cid, "/v1/modules/" + cid + "/content")) {
            String detail = assertProblem(given().get(path), 404, TYPES + "module-not-found", path);
            assertTrue(detail.contains(cid), detail);
        }
    }

    @Test
    void aMalformedCidIsABadRequestNamingTheRuleBroken() {
        String text = "bafkreinotacid";
        String expected =
                assertThrows(InvalidCidException.class, () -> Cid.parse(text)).getMessage();

        for (String path : List.of("/v1/modules/" + text, "/v1/modules/" + text + "/content")) {
            assertEquals(expected, assertProblem(given().get(path), 400, TYPES + "invalid-cid", path));
        }
    }

    @Test
    void bytesThatAreNotAModuleAreABadRequestWithTheParsersMessage() {
        byte[] lib = WasmFixtures.load("lib");
        for (byte[] notAModule : List.of(bytes("hello, world"), Arrays.copyOf(lib, lib.length - 3))) {
            String expected = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(notAModule))
                    .getMessage();

            Response response = upload(notAModule, WASM);

            assertEquals(expected, assertProblem(response, 400, TYPES + "invalid-module", "/v1/modules"));
            assertProblem(
                    given().get("/v1/modules/{cid}", Cid.rawOf(notAModule).toString()),
                    404,
                    TYPES + "module-not-found",
                    "/v1/modules/" + Cid.rawOf(notAModule));
        }
    }

    @Test
    void anotherContentTypeIsUnsupported() {
        Response response = upload(WasmFixtures.uniqueLib(), "text/plain");

        String detail = assertProblem(response, 415, "about:blank", "/v1/modules");
        assertTrue(detail.contains("text/plain"), detail);
    }

    private static Response upload(byte[] module, String contentType) {
        return given().contentType(contentType).body(module).post("/v1/modules");
    }

    /** Asserts the JSON describes {@code module} as the registry library parses it, under its CIDv1 raw. */
    private static void assertMetadata(byte[] module, Response response) {
        WasmModule parsed = WasmModule.parse(module);
        assertEquals(Cid.rawOf(module).toString(), response.jsonPath().getString("cid"));
        assertEquals(module.length, response.jsonPath().getLong("size"));
        assertEquals(
                parsed.imports().stream()
                        .map(i -> Map.of("module", i.module(), "name", i.name(), "kind", kind(i.kind())))
                        .toList(),
                response.jsonPath().getList("imports"));
        assertEquals(
                parsed.exports().stream()
                        .map(e -> Map.of("name", e.name(), "kind", kind(e.kind())))
                        .toList(),
                response.jsonPath().getList("exports"));
    }

    private static String kind(WasmModule.ExternalKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] bytes(Object text) {
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
