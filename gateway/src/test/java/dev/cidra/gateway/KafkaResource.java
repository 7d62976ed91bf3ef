package dev.cidra.gateway;

import dev.cidra.contract.testing.KafkaTestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points {@code cidra.kafka.*} at one {@link KafkaTestCluster} shared by every test class of the JVM (started on first
 * use, stopped by {@link KafkaSession} when the test run ends), so that restarting the application between classes does
 * not restart Kafka. Topics
 * get {@value #PARTITIONS} partitions, so that replies and events arrive on more than one.
 */
public final class KafkaResource implements QuarkusTestResourceLifecycleManager {
    public static final int PARTITIONS = 3;

    private static KafkaTestCluster cluster;

    /** The shared cluster's bootstrap servers, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            cluster = KafkaTestCluster.start();
        }
        return cluster.bootstrapServers();
    }

    /** Stops the shared cluster, if it was started. */
    static synchronized void closeShared() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "cidra.kafka.bootstrap-servers",
                bootstrapServers(),
                "cidra.kafka.topic-partitions",
                Integer.toString(PARTITIONS));
    }

    @Override
    public void stop() {
        // shared: closed by KafkaSession when the test run ends
    }
}
