package dev.cidra.cli.platform;

import java.io.IOException;
import java.io.Reader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The loopback ports the local platform listens on, and how many gateways and executors it runs; messages name each
 * port by the {@code cidra up} option that sets it. Replica {@code k} of the gateways (executors) listens on
 * {@code gateway} ({@code executor}) + {@value #REPLICA_PORT_STEP}·(k−1).
 *
 * @param executor the first executor's port
 * @param gateway the first gateway's port
 * @param executors how many executors run, 1..{@value #MAX_REPLICAS}
 * @param gateways how many gateways run, 1..{@value #MAX_REPLICAS}
 * @throws IllegalArgumentException if a count is out of range, a port is outside 1..65535 or two replicas share a port
 */
record Ports(int kafka, int kafkaController, int s3, int executor, int gateway, int executors, int gateways) {
    /** Every component binds this address only. */
    static final String HOST = "127.0.0.1";

    /** How far apart the ports of two consecutive replicas of a gateway or an executor are. */
    static final int REPLICA_PORT_STEP = 100;

    /** The most gateways, and the most executors, one platform runs. */
    static final int MAX_REPLICAS = 9;

    Ports {
        requireCount("--executors", executors);
        requireCount("--gateways", gateways);
        Map<Integer, String> seen = new HashMap<>();
        var all = new LinkedHashMap<String, Integer>();
        all.put("--kafka-controller-port", kafkaController);
        for (Replica replica : replicas(executors, gateways)) {
            all.put(option(replica), port(kafka, s3, executor, gateway, replica));
        }
        for (var entry : all.entrySet()) {
            int port = entry.getValue();
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(entry.getKey() + " must be a port in 1..65535, not " + port);
            }
            String other = seen.putIfAbsent(port, entry.getKey());
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + entry.getKey() + " are both " + port);
            }
        }
    }

    /** One gateway and one executor. */
    Ports(int kafka, int kafkaController, int s3, int executor, int gateway) {
        this(kafka, kafkaController, s3, executor, gateway, 1, 1);
    }

    private static void requireCount(String option, int count) {
        if (count < 1 || count > MAX_REPLICAS) {
            throw new IllegalArgumentException(option + " must be in 1.." + MAX_REPLICAS + ", not " + count);
        }
    }

    /** Every replica the platform runs, in {@link Replica#START_ORDER}. */
    List<Replica> replicas() {
        return replicas(executors, gateways);
    }

    private static List<Replica> replicas(int executors, int gateways) {
        var replicas = new ArrayList<Replica>();
        for (Component component : Component.values()) {
            int count =
                    switch (component) {
                        case KAFKA, S3PROXY -> 1;
                        case GATEWAY -> gateways;
                        case EXECUTOR -> executors;
                    };
            for (int number = 1; number <= count; number++) {
                replicas.add(new Replica(component, number));
            }
        }
        return replicas;
    }

    /** The port {@code replica} serves on (Kafka: its bootstrap port). */
    int port(Replica replica) {
        return port(kafka, s3, executor, gateway, replica);
    }

    private static int port(int kafka, int s3, int executor, int gateway, Replica replica) {
        int step = REPLICA_PORT_STEP * (replica.number() - 1);
        return switch (replica.component()) {
            case KAFKA -> kafka;
            case S3PROXY -> s3;
            case GATEWAY -> gateway + step;
            case EXECUTOR -> executor + step;
        };
    }

    /** How a message names the option that sets {@code replica}'s port. */
    private static String option(Replica replica) {
        String option =
                switch (replica.component()) {
                    case KAFKA -> "--kafka-port";
                    case S3PROXY -> "--s3-port";
                    case GATEWAY -> "--gateway-port";
                    case EXECUTOR -> "--executor-port";
                };
        return replica.number() == 1
                ? option
                : option + " (" + replica.id() + " listens on it + " + REPLICA_PORT_STEP * (replica.number() - 1) + ")";
    }

    /** The ports {@code replicas} listen on, keyed by the option that sets each, in start order. */
    Map<String, Integer> byOption(Collection<Replica> replicas) {
        var ports = new LinkedHashMap<String, Integer>();
        for (Replica replica : replicas.stream().sorted(Replica.START_ORDER).toList()) {
            ports.put(option(replica), port(replica));
            if (replica.component() == Component.KAFKA) {
                ports.put("--kafka-controller-port", kafkaController);
            }
        }
        return ports;
    }

    /** The base URL of a gateway or an executor. */
    URI uri(Replica replica) {
        return URI.create("http://" + HOST + ":" + port(replica));
    }

    String kafkaBootstrap() {
        return HOST + ":" + kafka;
    }

    URI s3Endpoint() {
        return URI.create("http://" + HOST + ":" + s3);
    }

    /** The first gateway's URL, which the CLI's API commands and {@code cidra demo} use. */
    URI gatewayUri() {
        return uri(Replica.first(Component.GATEWAY));
    }

    /** Writes these ports and counts to {@code file}, replacing it atomically. */
    void store(Path file) throws IOException {
        var entries = new LinkedHashMap<String, String>();
        entries.put(key("--kafka-port"), Integer.toString(kafka));
        entries.put(key("--kafka-controller-port"), Integer.toString(kafkaController));
        entries.put(key("--s3-port"), Integer.toString(s3));
        entries.put(key("--executor-port"), Integer.toString(executor));
        entries.put(key("--gateway-port"), Integer.toString(gateway));
        entries.put(key("--executors"), Integer.toString(executors));
        entries.put(key("--gateways"), Integer.toString(gateways));
        ConfigFile.write(file, "The ports `cidra up` started the platform with", entries);
    }

    /**
     * Reads ports {@link #store stored} earlier (a file without counts: one gateway and one executor).
     *
     * @throws IOException if the file cannot be read or a port is missing or invalid (the message names the file)
     */
    static Ports load(Path file) throws IOException {
        var properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        try {
            return new Ports(
                    port(properties, "--kafka-port", file),
                    port(properties, "--kafka-controller-port", file),
                    port(properties, "--s3-port", file),
                    port(properties, "--executor-port", file),
                    port(properties, "--gateway-port", file),
                    properties.containsKey(key("--executors")) ? port(properties, "--executors", file) : 1,
                    properties.containsKey(key("--gateways")) ? port(properties, "--gateways", file) : 1);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String key(String option) {
        return option.substring("--".length());
    }

    private static int port(Properties properties, String option, Path file) throws IOException {
        String value = properties.getProperty(key(option));
        if (value == null) {
            throw new IOException(file + " has no " + key(option));
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key(option) + " is not a number: " + value, e);
        }
    }

    /**
     * Checks that every port is free on {@link #HOST}.
     *
     * @param portsByOption each port by the option that sets it
     * @throws IllegalStateException naming a port in use and its option
     */
    static void requireFree(Map<String, Integer> portsByOption) throws IOException {
        for (var entry : portsByOption.entrySet()) {
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), entry.getValue()));
            } catch (BindException e) {
                throw new IllegalStateException("port " + entry.getValue() + " on " + HOST
                        + " is in use by another process; choose another with " + entry.getKey());
            }
        }
    }
}
