package dev.cidra.executor.service;

import dev.cidra.registry.testing.TestContent;
import dev.cidra.registry.testing.TrustlessGatewayServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What jobs need besides Kafka and S3: an IPFS trustless gateway holding {@link #IPFS_CONTENT_LENGTH} bytes of
 * {@link TestContent#random} (seed {@link #IPFS_CONTENT_SEED}, CIDv0, several blocks), allow-listed local directories
 * ({@code test.jobs.allowed-ro} read-only, {@code test.jobs.allowed-rw} read-write) and one outside them ({@code test.jobs.outside}), work
 * and results directories, a fixed node id, a 1 KiB URL cap, a fixed HTTP port named in
 * {@code cidra.jobs.public-url}, an allowed S3 endpoint nothing listens on ({@code test.jobs.dead-endpoint}), another
 * allowed one on a free port for a test's proxy ({@code test.jobs.gated-port}), and 3
 * attempts 10 to 20 ms apart for executions failing for the infrastructure. Tests find the paths and the CID under {@code test.jobs.*}.
 */
public final class JobsResource implements QuarkusTestResourceLifecycleManager {
    static final String NODE_ID = "test-node";
    static final int IPFS_CONTENT_LENGTH = 600 * 1024;
    static final long IPFS_CONTENT_SEED = 42;
    static final int MAX_URL_BYTES = 1024;

    private static volatile TrustlessGatewayServer gateway;
    private Path root;

    /** The IPFS gateway the executor fetches {@code ipfs} inputs through, for a test to serve more blocks on. */
    static TrustlessGatewayServer ipfs() {
        return gateway;
    }

    @Override
    public Map<String, String> start() {
        try {
            gateway = TrustlessGatewayServer.start();
            var cid = gateway.add(TestContent.random(IPFS_CONTENT_LENGTH, IPFS_CONTENT_SEED), 0);
            root = Files.createTempDirectory("cidra-jobs-test");
            Path allowedRo = Files.createDirectories(root.resolve("allowed-ro"));
            Path allowedRw = Files.createDirectories(root.resolve("allowed-rw"));
            Path outside = Files.createDirectories(root.resolve("outside"));
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            int deadPort;
            try (var socket = new ServerSocket(0)) {
                deadPort = socket.getLocalPort();
            }
            int gatedPort;
            try (var socket = new ServerSocket(0)) {
                gatedPort = socket.getLocalPort();
            }
            var config = new HashMap<String, String>();
            config.put("cidra.ipfs.gateway", gateway.uri().toString());
            config.put("cidra.inputs.local-directories", allowedRo + ":ro," + allowedRw + ":rw");
            config.put("cidra.inputs.max-url-bytes", Integer.toString(MAX_URL_BYTES));
            // The tests' web server is on loopback.
            config.put("cidra.inputs.allow-private-urls", "true");
            config.put("cidra.jobs.work-dir", root.resolve("work").toString());
            config.put("cidra.jobs.results-dir", root.resolve("results").toString());
            config.put("cidra.execution.node-id", NODE_ID);
            config.put("quarkus.http.test-port", Integer.toString(port));
            config.put("cidra.jobs.public-url", "http://127.0.0.1:" + port);
            // An S3 endpoint jobs may name where nothing listens: S3 down for that job, and only for it. Its
            // attempts are few and close together.
            String deadEndpoint = "http://127.0.0.1:" + deadPort;
            // And one where the test's GatedProxy to S3 will listen: S3 as slow as a test needs.
            config.put("cidra.job-storage.endpoints", deadEndpoint + ",http://127.0.0.1:" + gatedPort);
            config.put("test.jobs.gated-port", Integer.toString(gatedPort));
            config.put("cidra.jobs.max-infrastructure-attempts", "3");
            config.put("cidra.jobs.retry-backoff", "10ms");
            config.put("cidra.jobs.retry-backoff-max", "20ms");
            config.put("test.jobs.dead-endpoint", deadEndpoint);
            config.put("test.jobs.ipfs-cid", cid.toString());
            config.put("test.jobs.allowed-ro", allowedRo.toString());
            config.put("test.jobs.allowed-rw", allowedRw.toString());
            config.put("test.jobs.outside", outside.toString());
            return config;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
