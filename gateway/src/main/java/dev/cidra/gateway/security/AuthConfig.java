package dev.cidra.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the gateway, under the prefix {@code cidra.auth}. Every API call needs a bearer token except
 * {@code /q/health*} and {@code /q/metrics} (for probes and scrapers); without any key configured every call is refused.
 */
@ConfigMapping(prefix = "cidra.auth")
public interface AuthConfig {
    /**
     * {@code cidra.auth.api-keys-file}: the API keys file, one {@code sha256:<hex> <admin|user> <tenant> <name>} a line
     * (see {@code dev.cidra.contract.ApiKey}); it holds hashes, never tokens. Every replica reads the same file (a
     * Kubernetes Secret mounted as a file, or the one {@code cidra up} writes) and reads it again when it changes, so a
     * key added or removed there takes effect within a second on every replica without a restart. A file that cannot be
     * read or parsed at startup fails the startup; later, the last good version stays in force and the error is logged.
     * Unset: no API key is valid.
     */
    Optional<Path> apiKeysFile();

    /**
     * {@code cidra.auth.executor-token-file}: a file holding the token the gateway sends as
     * {@code Authorization: Bearer} to the executors when it downloads a {@code local} result from them (their
     * {@code cidra.auth.gateway-token-file} holds the same token). Unset: no token is sent, and executors that require
     * one refuse the download.
     */
    Optional<Path> executorTokenFile();

    /**
     * {@code cidra.auth.executor-networks}: comma-separated CIDR blocks (e.g. {@code 10.0.0.0/8}, {@code 127.0.0.1/32})
     * the executors' addresses are in. A {@code local} result is downloaded only from an IP address in one of them, at
     * the path of the job's own execution, whatever URL its job event names, so a forged event can neither point the
     * gateway elsewhere nor learn the executor token. Unset: {@code local} results are never downloaded.
     */
    Optional<List<String>> executorNetworks();

    /**
     * {@code cidra.auth.kafka-submission-tenant}: the tenant of the jobs submitted through {@code cidra.job-submissions}.
     * Kafka carries no caller identity the gateway could check, so whoever may write to that topic acts for this tenant:
     * restrict the topic with Kafka ACLs.
     */
    @WithDefault("default")
    String kafkaSubmissionTenant();
}
