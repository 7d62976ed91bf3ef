package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The job spec cases of {@code src/test/resources/job-specs} (see the README there). */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobSpecCasesTest {
    private static final Path CASES = Path.of("src/test/resources/job-specs");

    @Inject
    ObjectMapper json;

    private KafkaStub executor;

    @BeforeAll
    void executor() {
        executor = new KafkaStub(json, Topics.JOBS);
    }

    @AfterAll
    void close() {
        executor.close();
    }

    static Stream<String> cases() throws IOException {
        return folders(CASES);
    }

    /** The names of the case folders in {@code cases}, sorted. */
    static Stream<String> folders(Path cases) throws IOException {
        try (Stream<Path> folders = Files.list(cases)) {
            return folders
                    .filter(Files::isDirectory)
                    .map(folder -> folder.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specCase(String name) throws IOException {
        Path folder = CASES.resolve(name);
        boolean yaml = Files.exists(folder.resolve("spec.yaml"));
        byte[] spec = Files.readAllBytes(folder.resolve(yaml ? "spec.yaml" : "spec.json"));
        Response response = given().contentType(yaml ? "application/yaml" : "application/json")
                .body(spec)
                .post("/v1/jobs");

        Path error = folder.resolve("error.txt");
        if (Files.exists(error)) {
            assertEquals(
                    Files.readString(error, StandardCharsets.UTF_8),
                    assertProblem(response, 400, JobsResourceTest.TYPES + "invalid-job-spec", "/v1/jobs"));
            return;
        }
        assertEquals(202, response.statusCode(), response.asString());
        String jobId = response.jsonPath().getString("jobID");
        var record =
                executor.await(r -> executor.decode(r, JobRequest.class).jobId().equals(jobId));
        JobRequest published = executor.decode(record, JobRequest.class);
        assertTrue(published.executionId().startsWith("e-"), published.executionId());
        ObjectNode actual = (ObjectNode) json.readTree(record.value());
        actual.remove(java.util.List.of("jobId", "executionId", "submittedAt"));
        JsonNode expected = json.readTree(folder.resolve("expected.json").toFile());
        assertEquals(expected, actual, () -> "published " + actual.toPrettyString());
        assertEquals(published.moduleKey(), KafkaStub.key(record));
    }
}
