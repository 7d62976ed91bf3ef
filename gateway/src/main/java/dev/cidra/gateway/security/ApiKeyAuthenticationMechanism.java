package dev.cidra.gateway.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.gateway.http.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} and has the token checked by the identity providers. A request without
 * the header is anonymous (let through only where the permission policy permits it: health and metrics); a header that
 * is not a bearer token, or a token no provider knows, fails the request. Either way the answer is a 401
 * {@code application/problem+json} saying which of the three it was, with {@code WWW-Authenticate: Bearer}.
 */
@Singleton
class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {
    /** The problem type of a 401. */
    static final URI UNAUTHENTICATED = URI.create("tag:cidra.dev,2026:problems/unauthenticated");

    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final String SCHEME = "Bearer";
    private static final String REALM = "cidra";
    private static final String FAILURE = ApiKeyAuthenticationMechanism.class.getName() + ".failure";
    private static final String MISSING = "this API needs an API key: send Authorization: Bearer <token>"
            + " (`cidra token` prints the local platform's admin token)";

    private final ObjectMapper json;

    ApiKeyAuthenticationMechanism(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        int space = header.indexOf(' ');
        String token = space < 0 ? "" : header.substring(space + 1).strip();
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME) || token.isEmpty()) {
            String detail = "the Authorization header is not a bearer token: it must be 'Bearer <token>'";
            context.put(FAILURE, detail);
            return Uni.createFrom().failure(new AuthenticationFailedException(detail));
        }
        return identityProviderManager
                .authenticate(new TokenAuthenticationRequest(new TokenCredential(token, SCHEME.toLowerCase())))
                .onFailure()
                .invoke(e -> context.put(FAILURE, detail(e)));
    }

    private static String detail(Throwable e) {
        return e instanceof AuthenticationFailedException && e.getMessage() != null
                ? e.getMessage()
                : "the bearer token could not be checked";
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, WWW_AUTHENTICATE, challenge(context)));
    }

    /** A 401 with a problem document; the header says whether a token was sent and refused (RFC 6750). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String failure = context.get(FAILURE);
        var problem = new Problem(
                UNAUTHENTICATED,
                "Authentication required",
                401,
                failure == null ? MISSING : failure,
                context.request().path());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        if (!context.response().headWritten()) {
            context.response()
                    .setStatusCode(401)
                    .putHeader(WWW_AUTHENTICATE, challenge(context))
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(body);
        }
        return Uni.createFrom().item(true);
    }

    private static String challenge(RoutingContext context) {
        return context.get(FAILURE) == null
                ? SCHEME + " realm=\"" + REALM + "\""
                : SCHEME + " realm=\"" + REALM + "\", error=\"invalid_token\"";
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom()
                .item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME.toLowerCase()));
    }
}
