package dev.cidra.gateway.health;

import dev.cidra.gateway.messaging.TriggerStore;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every trigger definition the topic held when the replica started has been read, and while its
 * channel keeps reading (the messaging extension's health of the channel): before that, {@code GET /v1/triggers} would miss triggers and a {@code POST} could redefine one.
 */
@Readiness
@Singleton
class TriggerStoreReadinessCheck implements HealthCheck {
    private final TriggerStore triggers;
    private final ChannelHealth channels;

    TriggerStoreReadinessCheck(TriggerStore triggers, ChannelHealth channels) {
        this.triggers = triggers;
        this.channels = channels;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("triggers");
        String failure = channels.notReady(TriggerStore.CHANNEL).orElse(null);
        if (failure != null) {
            return response.down()
                    .withData("error", "the reader of trigger definitions stopped: " + failure)
                    .build();
        }
        return triggers.caughtUp() ? response.up().build() : response.down().build();
    }
}
