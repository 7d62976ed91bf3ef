package dev.cidra.executor.service.config;

import dev.cidra.contract.KafkaSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The settings the clients of the executor's SmallRye channels start from (the connector's {@code kafka-configuration}
 * names them): the brokers and timeouts of {@code cidra.kafka.*}, so that a channel's clients follow the same keys as
 * the clients the executor makes itself.
 */
@Singleton
class ChannelSettings {
    /** The identifier of the settings map. */
    static final String ID = "cidra-kafka";

    @Produces
    @Identifier(ID)
    Map<String, Object> settings(ExecutorConfig config) {
        return KafkaSettings.consumer(
                config.kafka().bootstrapServers(), config.kafka().requestTimeout());
    }
}
