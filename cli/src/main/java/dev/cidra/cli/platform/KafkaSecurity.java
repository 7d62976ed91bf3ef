package dev.cidra.cli.platform;

import dev.cidra.contract.ApiKey;
import dev.cidra.contract.KafkaConnection;
import dev.cidra.contract.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka authentication of a local platform started with {@code cidra up --secure}: one SCRAM-SHA-512 user per
 * role, whose passwords are kept in {@code auth/kafka/<user>} of the state directory (directory 0700, files 0600), and
 * the ACLs Kafka's {@code StandardAuthorizer} enforces for them (deny by default). Once a state directory has these
 * credentials its broker is always started secure, so a later {@code up} without {@code --secure} cannot open it up.
 *
 * <p>The broker's listener takes SASL_PLAINTEXT with SCRAM only; its controller listener (loopback, the broker's own
 * connection to its quorum) takes PLAIN with the admin's password only, from the broker's configuration.
 */
final class KafkaSecurity {
    /** A SCRAM user of the local broker and what it may do. */
    enum Principal {
        /** The super user: the broker's own connections and the CLI's admin client (ACLs, readiness). */
        ADMIN("admin"),
        /** The gateways. */
        GATEWAY("cidra-gateway"),
        /** The executors. */
        EXECUTOR("cidra-executor"),
        /** A client that submits jobs on {@link Topics#JOB_SUBMISSIONS} and feeds triggers' input topics. */
        PRODUCER("cidra-producer");

        final String user;

        Principal(String user) {
            this.user = user;
        }
    }

    private final Path dir;

    private KafkaSecurity(Path dir) {
        this.dir = dir;
    }

    /** The Kafka credentials of the state directory {@code home}, which need not exist yet. */
    static KafkaSecurity of(Path home) {
        return new KafkaSecurity(LocalCredentials.of(home).dir().resolve("kafka"));
    }

    /** Whether this platform's broker authenticates its clients (its credentials were made by {@code up --secure}). */
    boolean enabled() {
        return Files.isDirectory(dir);
    }

    /** Creates the missing users' passwords (owner-only); existing ones are kept. */
    void ensure() throws IOException {
        LocalCredentials.createOwnerOnlyDirectory(dir);
        for (Principal principal : Principal.values()) {
            if (!Files.exists(passwordFile(principal))) {
                OwnerOnlyFiles.write(passwordFile(principal), ApiKey.newToken() + "\n");
            }
        }
        var producer = new LinkedHashMap<String, String>();
        connection(Principal.PRODUCER, "BOOTSTRAP").clientConfig().forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                producer.put(key, value.toString());
            }
        });
        OwnerOnlyFiles.write(
                dir.resolve("producer.properties"),
                ConfigFile.render(
                        "Kafka client settings of the cidra-producer user (written by `cidra up --secure`); add"
                                + " bootstrap.servers",
                        producer));
    }

    /** The file holding {@code principal}'s password (first line). */
    Path passwordFile(Principal principal) {
        return dir.resolve(principal.user);
    }

    private String password(Principal principal) {
        try {
            return Files.readString(passwordFile(principal), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Kafka password of " + principal.user + ": " + e, e);
        }
    }

    /** A connection to {@code bootstrapServers} as {@code principal}. */
    KafkaConnection connection(Principal principal, String bootstrapServers) {
        return new KafkaConnection(
                bootstrapServers,
                Optional.of(new KafkaConnection.Scram("SASL_PLAINTEXT", principal.user, password(principal))));
    }

    /** The keys {@code cidra.kafka.sasl.*} of a service that logs in as {@code principal}. */
    Map<String, String> serviceConfig(Principal principal) {
        return Map.of(
                "cidra.kafka.sasl.username",
                principal.user,
                "cidra.kafka.sasl.password-file",
                passwordFile(principal).toString());
    }

    /**
     * The broker's settings that replace its PLAINTEXT listeners: SASL on both, SCRAM for clients and the broker
     * itself, PLAIN (the admin only) on the controller listener, the {@code StandardAuthorizer} with the admin as its
     * only super user.
     */
    Map<String, String> brokerConfig(String broker, String controller) {
        String admin = Principal.ADMIN.user;
        String password = password(Principal.ADMIN);
        var config = new LinkedHashMap<String, String>();
        config.put("listeners", "BROKER://" + broker + ",CONTROLLER://" + controller);
        config.put("advertised.listeners", "BROKER://" + broker);
        config.put("inter.broker.listener.name", "BROKER");
        config.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        config.put("sasl.mechanism.inter.broker.protocol", KafkaConnection.MECHANISM);
        config.put("sasl.mechanism.controller.protocol", "PLAIN");
        config.put("listener.name.broker.sasl.enabled.mechanisms", KafkaConnection.MECHANISM);
        config.put(
                "listener.name.broker.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + admin
                        + "\" password=\"" + password + "\";");
        config.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        config.put(
                "listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin
                        + "\" password=\"" + password + "\" user_" + admin + "=\"" + password + "\";");
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:" + admin);
        config.put("allow.everyone.if.no.acl.found", "false");
        return config;
    }

    /** The arguments of {@code kafka-storage format} that create every user's SCRAM credentials with the storage. */
    List<String> formatArguments() {
        var arguments = new ArrayList<String>();
        for (Principal principal : Principal.values()) {
            arguments.add("--add-scram");
            arguments.add(
                    KafkaConnection.MECHANISM + "=[name=" + principal.user + ",password=" + password(principal) + "]");
        }
        return arguments;
    }

    /**
     * What each user may do besides the admin (a super user): every role only the topics, groups and transactional ids
     * it uses. The gateway and the executors are trusted with Cidra's topics; the producer may write
     * {@link Topics#JOB_SUBMISSIONS} and topics of its own (triggers' inputs), never another Cidra topic nor one whose
     * name starts with one's (so it cannot forge job events, requests, replies or triggers, nor a provider's requests).
     */
    static List<AclBinding> acls() {
        var acls = new ArrayList<AclBinding>();
        String gateway = Principal.GATEWAY.user;
        allow(
                acls,
                gateway,
                ResourceType.TOPIC,
                "cidra.",
                PatternType.PREFIXED,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE,
                AclOperation.CREATE);
        allow(acls, gateway, ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.DESCRIBE);
        allow(
                acls,
                gateway,
                ResourceType.GROUP,
                "cidra-gateway",
                PatternType.PREFIXED,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        allow(acls, gateway, ResourceType.GROUP, "cidra-trigger-", PatternType.PREFIXED, AclOperation.DESCRIBE);
        allow(
                acls,
                gateway,
                ResourceType.TRANSACTIONAL_ID,
                "cidra-gateway",
                PatternType.PREFIXED,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(
                acls,
                gateway,
                ResourceType.CLUSTER,
                "kafka-cluster",
                PatternType.LITERAL,
                AclOperation.IDEMPOTENT_WRITE,
                AclOperation.DESCRIBE);

        String executor = Principal.EXECUTOR.user;
        // Triggers read and write topics their tenants name, so the executors may use any topic.
        allow(
                acls,
                executor,
                ResourceType.TOPIC,
                "*",
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(acls, executor, ResourceType.TOPIC, "cidra.", PatternType.PREFIXED, AclOperation.CREATE);
        for (String prefix : List.of("cidra-executor", "cidra-trigger-")) {
            allow(
                    acls,
                    executor,
                    ResourceType.GROUP,
                    prefix,
                    PatternType.PREFIXED,
                    AclOperation.READ,
                    AclOperation.DESCRIBE);
            allow(
                    acls,
                    executor,
                    ResourceType.TRANSACTIONAL_ID,
                    prefix,
                    PatternType.PREFIXED,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE);
        }
        allow(
                acls,
                executor,
                ResourceType.CLUSTER,
                "kafka-cluster",
                PatternType.LITERAL,
                AclOperation.IDEMPOTENT_WRITE,
                AclOperation.DESCRIBE);

        String producer = Principal.PRODUCER.user;
        allow(acls, producer, ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(
                acls,
                producer,
                ResourceType.CLUSTER,
                "kafka-cluster",
                PatternType.LITERAL,
                AclOperation.IDEMPOTENT_WRITE);
        // Prefixed, so that the provided sets' request topics (cidra.invocations.provided.<id>, ...) are denied too.
        for (String topic : Topics.all()) {
            if (!topic.equals(Topics.JOB_SUBMISSIONS)) {
                acls.add(binding(
                        producer,
                        ResourceType.TOPIC,
                        topic,
                        PatternType.PREFIXED,
                        AclOperation.WRITE,
                        AclPermissionType.DENY));
            }
        }
        return acls;
    }

    private static void allow(
            List<AclBinding> acls,
            String user,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(binding(user, type, name, pattern, operation, AclPermissionType.ALLOW));
        }
    }

    private static AclBinding binding(
            String user,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation operation,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, permission));
    }
}
