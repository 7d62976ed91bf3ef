package dev.cidra.executor.service.security;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Accepts exactly the token of {@link AuthConfig#gatewayTokenFile()}, as the identity {@code gateway} with the role
 * {@value #ROLE}. Tokens are compared by their SHA-256 in constant time, so neither their content nor their length
 * shows in the time an answer takes.
 */
@Singleton
class GatewayTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    /** The role of a caller that showed the gateways' token. */
    static final String ROLE = "gateway";

    private final Optional<byte[]> expected;

    /**
     * @throws UncheckedIOException if the configured file cannot be read
     * @throws IllegalStateException if it is empty
     */
    GatewayTokenIdentityProvider(AuthConfig config) {
        expected = config.gatewayTokenFile().map(file -> {
            try {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new IllegalStateException("cidra.auth.gateway-token-file " + file + " is empty");
                }
                return ApiKey.sha256(token);
            } catch (IOException e) {
                throw new UncheckedIOException("cidra.auth.gateway-token-file " + file + " cannot be read", e);
            }
        });
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] presented = ApiKey.sha256(request.getToken().getToken());
        if (expected.isEmpty() || !MessageDigest.isEqual(expected.get(), presented)) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("the bearer token is not the gateways' token"));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(ROLE))
                        .addRole(ROLE)
                        .build());
    }
}
