package dev.cidra.executor.service;

import dev.cidra.contract.testing.KafkaTestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link KafkaTestCluster} and points {@code cidra.kafka.*} at it. */
public final class KafkaResource implements QuarkusTestResourceLifecycleManager {
    private KafkaTestCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = KafkaTestCluster.start();
        return Map.of("cidra.kafka.bootstrap-servers", cluster.bootstrapServers());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
