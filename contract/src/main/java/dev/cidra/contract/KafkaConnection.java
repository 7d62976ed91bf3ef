package dev.cidra.contract;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How a Cidra service reaches Kafka: the brokers and, where the cluster authenticates its clients, the SASL/SCRAM
 * credentials every client of the service presents (Kafka's own {@code ScramLoginModule}). Every client a service makes
 * starts from {@link #clientConfig()}, so none connects without them.
 */
public record KafkaConnection(String bootstrapServers, Optional<Scram> scram) {
    /** The SASL mechanism of every authenticated Cidra client. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** An unauthenticated connection (a {@code PLAINTEXT} listener). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Optional.empty());
    }

    /**
     * A principal's SCRAM credentials.
     *
     * @param securityProtocol {@code SASL_PLAINTEXT} or {@code SASL_SSL}
     */
    public record Scram(String securityProtocol, String username, String password) {
        public Scram {
            if (!securityProtocol.equals("SASL_PLAINTEXT") && !securityProtocol.equals("SASL_SSL")) {
                throw new IllegalArgumentException("Kafka security protocol " + securityProtocol
                        + " is not one for SASL: use SASL_PLAINTEXT or SASL_SSL");
            }
            if (username.isBlank() || password.isEmpty()) {
                throw new IllegalArgumentException("Kafka SASL credentials need a user name and a password");
            }
        }

        /** Names the user and the protocol, never the password. */
        @Override
        public String toString() {
            return "Scram[" + securityProtocol + ", user " + username + "]";
        }

        /** The JAAS line of Kafka's SCRAM login module, the password quoted (Kafka hides this setting in its logs). */
        String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + quoted(username)
                    + "\" password=\"" + quoted(password) + "\";";
        }

        private static String quoted(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"");
        }
    }

    /** The settings every client of this connection starts from: the brokers and, if any, the SCRAM login. */
    public Map<String, Object> clientConfig() {
        var config = new HashMap<String, Object>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        scram.ifPresent(credentials -> {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, credentials.securityProtocol());
            config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
            config.put(SaslConfigs.SASL_JAAS_CONFIG, credentials.jaasConfig());
        });
        return config;
    }

    /** {@link #clientConfig()} with {@code settings} added (they may not name the brokers or the login). */
    public Map<String, Object> clientConfig(Map<String, Object> settings) {
        var config = clientConfig();
        config.putAll(settings);
        return config;
    }
}
