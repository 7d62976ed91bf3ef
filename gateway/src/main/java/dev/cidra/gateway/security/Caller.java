package dev.cidra.gateway.security;

import dev.cidra.contract.ApiKey;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated caller of a request, as the API's resources see it.
 *
 * @param name the key's name (who holds it), for logs
 * @param tenant the tenant the caller acts for
 * @param admin whether the caller may act on every tenant
 */
public record Caller(String name, String tenant, boolean admin) {
    /** The security identity attribute that holds the tenant. */
    static final String TENANT_ATTRIBUTE = "cidra.tenant";

    /**
     * The caller of the identity an {@link ApiKeyIdentityProvider} built.
     *
     * @throws IllegalStateException if the identity is anonymous (the permission policy lets no such call through)
     */
    public static Caller of(SecurityIdentity identity) {
        Object tenant = identity.getAttribute(TENANT_ATTRIBUTE);
        if (identity.isAnonymous() || !(tenant instanceof String name)) {
            throw new IllegalStateException("an API call reached a resource without an authenticated tenant");
        }
        return new Caller(identity.getPrincipal().getName(), name, identity.hasRole(ApiKey.Role.ADMIN.id()));
    }

    /** Whether this caller may see and change what belongs to {@code owner}. */
    public boolean owns(String owner) {
        return admin || tenant.equals(owner);
    }
}
