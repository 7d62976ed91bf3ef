package dev.cidra.executor.service.config;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Produces the node's one Kafka {@link Admin} client (topic creation, readiness), closed at shutdown. */
@Singleton
class AdminProducer {

    @Produces
    @Singleton
    Admin admin(ExecutorConfig config) {
        int timeoutMillis = (int) config.kafka().requestTimeout().toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "cidra-executor-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutMillis));
    }

    void close(@Disposes Admin admin) {
        admin.close();
    }
}
