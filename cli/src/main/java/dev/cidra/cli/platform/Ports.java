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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The loopback ports the local platform listens on; messages name each by the {@code cidra up} option that sets it.
 *
 * @throws IllegalArgumentException if a port is outside 1..65535 or two options name the same port
 */
record Ports(int kafka, int kafkaController, int s3, int executor, int gateway) {
    /** Every component binds this address only. */
    static final String HOST = "127.0.0.1";

    Ports {
        Map<Integer, String> seen = new HashMap<>();
        for (var entry : byOption(kafka, kafkaController, s3, executor, gateway, EnumSet.allOf(Component.class))
                .entrySet()) {
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

    /** The ports {@code components} listen on, keyed by the option that sets each, in start order. */
    Map<String, Integer> byOption(Set<Component> components) {
        return byOption(kafka, kafkaController, s3, executor, gateway, components);
    }

    private static Map<String, Integer> byOption(
            int kafka, int kafkaController, int s3, int executor, int gateway, Set<Component> components) {
        var ports = new LinkedHashMap<String, Integer>();
        for (Component component : Component.values()) {
            if (!components.contains(component)) {
                continue;
            }
            switch (component) {
                case KAFKA -> {
                    ports.put("--kafka-port", kafka);
                    ports.put("--kafka-controller-port", kafkaController);
                }
                case S3PROXY -> ports.put("--s3-port", s3);
                case EXECUTOR -> ports.put("--executor-port", executor);
                case GATEWAY -> ports.put("--gateway-port", gateway);
            }
        }
        return ports;
    }

    String kafkaBootstrap() {
        return HOST + ":" + kafka;
    }

    URI s3Endpoint() {
        return URI.create("http://" + HOST + ":" + s3);
    }

    URI executorUri() {
        return URI.create("http://" + HOST + ":" + executor);
    }

    URI gatewayUri() {
        return URI.create("http://" + HOST + ":" + gateway);
    }

    /** Writes these ports to {@code file}, replacing it atomically. */
    void store(Path file) throws IOException {
        var entries = new LinkedHashMap<String, String>();
        byOption(EnumSet.allOf(Component.class))
                .forEach((option, port) -> entries.put(key(option), Integer.toString(port)));
        ConfigFile.write(file, "The ports `cidra up` started the platform with", entries);
    }

    /**
     * Reads ports {@link #store stored} earlier.
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
                    port(properties, "--gateway-port", file));
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
            throw new IOException(file + ": " + key(option) + " is not a port number: " + value, e);
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
