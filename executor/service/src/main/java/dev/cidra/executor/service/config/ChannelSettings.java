package dev.cidra.executor.service.config;

import dev.cidra.contract.KafkaSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The settings the clients of the executor's SmallRye channels start from (the connector's or the channel's
 * {@code kafka-configuration} names them): the brokers and timeouts of {@code cidra.kafka.*}, so that a channel's clients follow the same keys as
 * the clients the executor makes itself.
 */
@Singleton
class ChannelSettings {
    /** The identifier of the settings map. */
    static final String ID = "cidra-kafka";

    /** The identifier of the settings of the channels' producers. */
    static final String PRODUCER_ID = "cidra-kafka-producer";

    @Produces
    @Identifier(ID)
    Map<String, Object> settings(ExecutorConfig config) {
        return KafkaSettings.consumer(
                config.kafka().connection(), config.kafka().requestTimeout());
    }

    /** Those of a channel's producer: the settings of every producer the executor makes. */
    @Produces
    @Identifier(PRODUCER_ID)
    Map<String, Object> producerSettings(ExecutorConfig config) {
        return KafkaSettings.producer(
                config.kafka().connection(), config.kafka().requestTimeout());
    }
}
