package dev.cidra.executor.service.config;

import dev.cidra.contract.KafkaSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

/** Produces the node's one Kafka {@link Admin} client (topic creation, readiness), closed at shutdown. */
@Singleton
class AdminProducer {

    @Produces
    @Singleton
    Admin admin(ExecutorConfig config) {
        return Admin.create(KafkaSettings.admin(
                config.kafka().connection(),
                "cidra-executor-admin",
                config.kafka().requestTimeout()));
    }

    void close(@Disposes Admin admin) {
        admin.close();
    }
}
