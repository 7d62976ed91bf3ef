package dev.cidra.contract.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real one-node KRaft Kafka cluster (broker and controller combined) in-process on loopback, for tests: Kafka's own
 * {@link KafkaClusterTestKit}, configured for one replica so that consumer groups and transactions work. Starting takes
 * a few seconds: start one per test class. {@link #close()} stops it and deletes its data. Thread-safe.
 */
public final class KafkaTestCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaTestCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Formats and starts a cluster and waits until its broker is ready.
     *
     * @throws IllegalStateException if it cannot start
     */
    public static KafkaTestCluster start() {
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // Executors' consumers ask for sessions of a few seconds (cidra.kafka.session-timeout).
                    .setConfigProp("group.min.session.timeout.ms", "1000")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaTestCluster(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(cluster);
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (Exception e) {
            close(cluster);
            throw new IllegalStateException("cannot start the test Kafka cluster", e);
        }
    }

    /** The {@code host:port} list clients connect to. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        close(cluster);
    }

    private static void close(KafkaClusterTestKit cluster) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the test Kafka cluster", e);
            }
        }
    }
}
