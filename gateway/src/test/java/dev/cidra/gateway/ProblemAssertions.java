package dev.cidra.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.Map;
import java.util.Set;

/** Assertions on RFC 9457 answers. */
public final class ProblemAssertions {
    private ProblemAssertions() {}

    /**
     * Asserts that {@code response} is an {@code application/problem+json} answer with exactly the members type, title,
     * status, detail and instance, the given status and type, and the request path as instance.
     *
     * @return the detail
     */
    public static String assertProblem(Response response, int status, String type, String path) {
        assertEquals(status, response.statusCode(), () -> response.asString());
        assertTrue(
                response.contentType().startsWith("application/problem+json"),
                () -> "content type " + response.contentType() + " of " + response.asString());
        Map<String, Object> problem = response.jsonPath().getMap("$");
        assertEquals(
                Set.of("type", "title", "status", "detail", "instance"), problem.keySet(), () -> response.asString());
        assertEquals(type, problem.get("type"));
        assertEquals(status, problem.get("status"));
        assertEquals(path, problem.get("instance"));
        assertTrue(!((String) problem.get("title")).isBlank(), "title");
        return (String) problem.get("detail");
    }
}
