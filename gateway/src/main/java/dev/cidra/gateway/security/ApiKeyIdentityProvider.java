package dev.cidra.gateway.security;

import dev.cidra.contract.ApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** Turns a bearer token into the identity of its API key: the key's name, its role and its tenant. */
@Singleton
class ApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final ApiKeyStore keys;

    ApiKeyIdentityProvider(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        return keys.find(token).map(key -> Uni.createFrom().item(identity(key))).orElseGet(() -> Uni.createFrom()
                .failure(new AuthenticationFailedException(
                        "the bearer token is not a valid API key of this platform (unknown or revoked)")));
    }

    private static SecurityIdentity identity(ApiKey key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(key.name()))
                .addRole(key.role().id())
                .addAttribute(Caller.TENANT_ATTRIBUTE, key.tenant())
                .build();
    }
}
