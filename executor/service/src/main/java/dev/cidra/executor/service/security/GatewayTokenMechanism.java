package dev.cidra.executor.service.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} for {@link GatewayTokenIdentityProvider}. A request without a valid token
 * where one is needed (the permission policy in {@code application.properties}) is answered 401 with an RFC 9457
 * problem and {@code WWW-Authenticate: Bearer}.
 */
@Singleton
class GatewayTokenMechanism implements HttpAuthenticationMechanism {
    private static final String CHALLENGE = "Bearer realm=\"cidra-executor\"";
    private static final String PREFIX = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("the Authorization header is not 'Bearer <token>'"));
        }
        String token = header.substring(PREFIX.length()).strip();
        return identityProviderManager.authenticate(
                new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            String detail = context.request().getHeader("Authorization") == null
                    ? "results are served to the gateways only: send Authorization: Bearer <the gateways' token>"
                    : "the bearer token is not the gateways' token";
            context.response()
                    .setStatusCode(401)
                    .putHeader("WWW-Authenticate", CHALLENGE)
                    .putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject()
                            .put("type", "about:blank")
                            .put("title", "Unauthorized")
                            .put("status", 401)
                            .put("detail", detail)
                            .put("instance", context.request().path())
                            .encode());
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
