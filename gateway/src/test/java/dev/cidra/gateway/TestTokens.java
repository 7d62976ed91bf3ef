package dev.cidra.gateway;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * The bearer tokens of the test API keys (their hashes are in {@code src/test/resources/auth/api-keys}, which the test
 * profile configures), and the callback that makes every RestAssured request of a {@code @QuarkusTest} send
 * {@link #caller} unless the request sets its own {@code Authorization} header. Each test starts with
 * {@link #ADMIN} as the caller.
 */
public final class TestTokens implements QuarkusTestBeforeEachCallback {
    /** Role admin, tenant {@code default}. */
    public static final String ADMIN = "cidra_test-admin-0000000000000000000000000000000000";

    /** Role user, tenant {@code tenant-a}. */
    public static final String TENANT_A = "cidra_test-tenant-a-00000000000000000000000000000000";

    /** Role user, tenant {@code tenant-b}. */
    public static final String TENANT_B = "cidra_test-tenant-b-00000000000000000000000000000000";

    /** The token requests send when they set none; null sends none. */
    public static volatile String caller = ADMIN;

    private static final Filter DEFAULT_TOKEN = (request, response, context) -> {
        String token = caller;
        if (token != null && !request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", bearer(token));
        }
        return context.next(request, response);
    };

    /** {@code Bearer <token>}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        caller = ADMIN;
        RestAssured.replaceFiltersWith(DEFAULT_TOKEN);
    }
}
