package dev.cidra.gateway.security;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.TestTokens;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every API call needs a valid bearer token; health and metrics do not. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class AuthenticationTest {
    static final String UNAUTHENTICATED = "tag:cidra.dev,2026:problems/unauthenticated";

    @BeforeEach
    void anonymous() {
        TestTokens.caller = null;
    }

    /** A representative call of every resource. */
    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("GET", "/v1/jobs"),
                Arguments.of("POST", "/v1/jobs"),
                Arguments.of("GET", "/v1/jobs/j-1/outputs"),
                Arguments.of("POST", "/v1/modules"),
                Arguments.of("GET", "/v1/modules/bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a/content"),
                Arguments.of(
                        "POST", "/v1/functions/bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a/invoke"),
                Arguments.of("GET", "/v1/triggers"),
                Arguments.of("DELETE", "/v1/triggers/victim"),
                Arguments.of("GET", "/q/openapi"),
                Arguments.of("GET", "/no-such-path"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("calls")
    void anAnonymousCallIs401(String method, String path) {
        Response response = given().request(method, path);

        String detail = assertProblem(response, 401, UNAUTHENTICATED, path);
        assertTrue(detail.contains("Authorization: Bearer"), detail);
        assertEquals("Bearer realm=\"cidra\"", response.header("WWW-Authenticate"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("calls")
    void aGarbageBearerTokenIs401(String method, String path) {
        Response response = given().header("Authorization", "Bearer garbage").request(method, path);

        String detail = assertProblem(response, 401, UNAUTHENTICATED, path);
        assertEquals("the bearer token is not a valid API key of this platform (unknown or revoked)", detail);
        assertEquals("Bearer realm=\"cidra\", error=\"invalid_token\"", response.header("WWW-Authenticate"));
    }

    @Test
    void anAuthorizationThatIsNotBearerIs401() {
        Response response =
                given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/v1/jobs");

        String detail = assertProblem(response, 401, UNAUTHENTICATED, "/v1/jobs");
        assertTrue(detail.contains("not a bearer token"), detail);
    }

    @Test
    void aTokenDifferingInItsLastCharacterIs401() {
        String almost = TestTokens.ADMIN.substring(0, TestTokens.ADMIN.length() - 1) + "1";

        Response response =
                given().header("Authorization", TestTokens.bearer(almost)).get("/v1/jobs");

        assertProblem(response, 401, UNAUTHENTICATED, "/v1/jobs");
    }

    @Test
    void validTokensOfBothRolesAreLetThrough() {
        for (String token : new String[] {TestTokens.ADMIN, TestTokens.TENANT_A}) {
            Response response =
                    given().header("Authorization", TestTokens.bearer(token)).get("/v1/jobs");
            assertEquals(200, response.statusCode(), response.asString());
            assertNotNull(response.jsonPath().getList("jobs"));
        }
        Response openApi = given().header("Authorization", TestTokens.bearer(TestTokens.TENANT_B))
                .accept("application/json")
                .get("/q/openapi");
        assertEquals(200, openApi.statusCode());
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        assertEquals(200, given().get("/q/health/live").statusCode());
        assertEquals(200, given().get("/q/metrics").statusCode());
    }
}
