package dev.cidra.executor.service.security;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may download the results this node keeps ({@code GET /v1/results/*}), under the prefix {@code cidra.auth}: only
 * the gateways, which prove it with a token they share with the executors. Health and metrics need no token.
 */
@ConfigMapping(prefix = "cidra.auth")
public interface AuthConfig {
    /**
     * {@code cidra.auth.gateway-token-file}: a file holding the token the gateways send as {@code Authorization: Bearer}
     * (their {@code cidra.auth.executor-token-file} holds the same). Unset: every result download is refused with 401.
     */
    Optional<Path> gatewayTokenFile();
}
