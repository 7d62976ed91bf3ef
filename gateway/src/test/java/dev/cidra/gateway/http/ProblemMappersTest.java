package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.KafkaResource;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ProblemMappersTest {

    @Test
    void anUnknownPathIsAProblem() {
        for (String path : new String[] {"/v1/nothing-here", "/nothing-here", "/v1/modules/a/b/c"}) {
            assertEquals("there is no resource at " + path, assertProblem(given().get(path), 404, "about:blank", path));
        }
    }

    @Test
    void aMethodNotAllowedIsAProblem() {
        String detail = assertProblem(given().delete("/v1/modules"), 405, "about:blank", "/v1/modules");

        assertEquals("method DELETE is not allowed on /v1/modules", detail);
    }

    @Test
    void malformedJsonIsAProblemSayingWhere() {
        Response syntax =
                given().contentType("application/json").body("{\"name\": ").post("/test-probe/json");
        Response shape = given().contentType("application/json")
                .body("{\"name\": \"x\", \"quantities\": [1, {}]}")
                .post("/test-probe/json");

        String syntaxDetail =
                assertProblem(syntax, 400, "tag:cidra.dev,2026:problems/malformed-json", "/test-probe/json");
        assertTrue(syntaxDetail.startsWith("malformed JSON at line 1, column"), syntaxDetail);
        assertEquals(
                "the JSON value at $.quantities[1] does not have the expected type or shape",
                assertProblem(shape, 400, "tag:cidra.dev,2026:problems/malformed-json", "/test-probe/json"));
    }

    @Test
    void anUnexpectedFailureIsA500ProblemThatLeaksNothing() {
        Response response = given().get("/test-probe/fail");

        String detail = assertProblem(response, 500, "about:blank", "/test-probe/fail");
        assertTrue(detail.matches("the gateway failed to handle the request \\(reference [0-9a-f-]{36}\\)"), detail);
        assertFalse(response.asString().contains(ProbeResource.INTERNAL_DETAIL), response.asString());
        assertFalse(response.asString().contains("IllegalStateException"), response.asString());
    }
}
