package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The trigger definition cases of {@code src/test/resources/trigger-specs} (see the README there). */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class TriggerSpecCasesTest {
    private static final Path CASES = Path.of("src/test/resources/trigger-specs");

    @Inject
    ObjectMapper json;

    static Stream<String> cases() throws IOException {
        return JobSpecCasesTest.folders(CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void definitionCase(String name) throws IOException {
        Path folder = CASES.resolve(name);
        boolean yaml = Files.exists(folder.resolve("trigger.yaml"));
        byte[] definition = Files.readAllBytes(folder.resolve(yaml ? "trigger.yaml" : "trigger.json"));
        Response response = given().contentType(yaml ? "application/yaml" : "application/json")
                .body(definition)
                .post("/v1/triggers");

        Path error = folder.resolve("error.txt");
        if (Files.exists(error)) {
            assertEquals(
                    Files.readString(error, StandardCharsets.UTF_8),
                    assertProblem(response, 400, JobsResourceTest.TYPES + "invalid-trigger", "/v1/triggers"));
            return;
        }
        assertEquals(201, response.statusCode(), response.asString());
        ObjectNode actual = (ObjectNode) json.readTree(response.asByteArray());
        assertEquals(actual, json.readTree(given().get("/v1/triggers/" + name).asByteArray()), "as kept");
        actual.remove(List.of("id", "createdAt", "startOffsets"));
        JsonNode expected = json.readTree(folder.resolve("expected.json").toFile());
        assertEquals(expected, actual, () -> "defined " + actual.toPrettyString());
    }
}
