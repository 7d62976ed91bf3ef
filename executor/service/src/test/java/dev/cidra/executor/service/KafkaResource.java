package dev.cidra.executor.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** Starts a one-node KRaft Kafka cluster in-process on loopback and points {@code cidra.kafka.*} at it. */
public final class KafkaResource implements QuarkusTestResourceLifecycleManager {
    private KafkaClusterTestKit cluster;

    @Override
    public Map<String, String> start() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka cluster", e);
        }
        return Map.of("cidra.kafka.bootstrap-servers", cluster.bootstrapServers());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the test Kafka cluster", e);
            }
        }
    }
}
