package dev.cidra.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a service connects to Kafka, under the prefix {@code cidra.kafka}: the keys the gateway and every executor read
 * alike. Each service maps them with an interface of its own that extends this one ({@code @ConfigMapping} and defaults
 * belong to the services, not to this framework-free module).
 */
public interface KafkaClientConfig {
    /** {@code cidra.kafka.bootstrap-servers}: comma-separated {@code host:port} list of brokers. */
    String bootstrapServers();

    /**
     * {@code cidra.kafka.sasl.*}: the SASL/SCRAM-SHA-512 credentials every client of the service logs in with. Unset:
     * clients connect unauthenticated ({@code PLAINTEXT}).
     */
    Optional<Sasl> sasl();

    /** One principal's SCRAM credentials. */
    interface Sasl {
        /** {@code cidra.kafka.sasl.username}: the SCRAM user (the principal Kafka's ACLs name, {@code User:<name>}). */
        String username();

        /**
         * {@code cidra.kafka.sasl.password-file}: a file holding the user's password on its first line (e.g. a mounted
         * Secret, or {@code $CIDRA_HOME/auth/kafka/<user>} that {@code cidra up --secure} writes owner-only). Read at
         * startup; the password itself never is a configuration value, so it is in no dump of the configuration.
         */
        Path passwordFile();

        /** {@code cidra.kafka.sasl.security-protocol}: {@code SASL_PLAINTEXT} or {@code SASL_SSL}. Unset: SASL_PLAINTEXT. */
        Optional<String> securityProtocol();
    }

    /**
     * The connection these settings describe.
     *
     * @throws IllegalStateException if the password file cannot be read or is empty
     */
    default KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers(), sasl().map(sasl -> {
            String password;
            try {
                password = Files.readString(sasl.passwordFile(), StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElse("")
                        .strip();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cidra.kafka.sasl.password-file " + sasl.passwordFile() + " cannot be read: " + e, e);
            }
            if (password.isEmpty()) {
                throw new IllegalStateException(
                        "cidra.kafka.sasl.password-file " + sasl.passwordFile() + " holds no password");
            }
            return new KafkaConnection.Scram(
                    sasl.securityProtocol().orElse("SASL_PLAINTEXT"), sasl.username(), password);
        }));
    }
}
