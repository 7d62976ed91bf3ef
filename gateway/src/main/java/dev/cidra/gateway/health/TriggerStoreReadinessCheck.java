package dev.cidra.gateway.health;

import dev.cidra.gateway.messaging.TriggerStore;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every trigger definition the topic held when the replica started has been read, and while the
 * reader keeps reading: before that, {@code GET /v1/triggers} would miss triggers and a {@code POST} could redefine one.
 */
@Readiness
@Singleton
class TriggerStoreReadinessCheck implements HealthCheck {
    private final TriggerStore triggers;

    TriggerStoreReadinessCheck(TriggerStore triggers) {
        this.triggers = triggers;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("triggers");
        String failure = triggers.failure();
        if (failure != null) {
            return response.down()
                    .withData("error", "the reader of trigger definitions stopped: " + failure)
                    .build();
        }
        return triggers.caughtUp() ? response.up().build() : response.down().build();
    }
}
