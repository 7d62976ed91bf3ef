package dev.cidra.gateway.health;

import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The messaging extension's own health of the gateway's channels (SmallRye's liveness: failures of a channel, such as
 * a consumer that stopped; its readiness: a consumer connected), reported through the gateway's checks rather than as
 * checks of their own, so that each check says what the gateway cannot do without the channel.
 */
@Singleton
class ChannelHealth {
    private final HealthCenter center;

    ChannelHealth(HealthCenter center) {
        this.center = center;
    }

    /** Why the extension finds {@code channel} not alive, or empty when it is. */
    Optional<String> failure(String channel) {
        return problem(center.getLiveness(), channel);
    }

    /** Why the extension finds {@code channel} not alive or not ready, or empty when it is both. */
    Optional<String> notReady(String channel) {
        return failure(channel).or(() -> problem(center.getReadiness(), channel));
    }

    private static Optional<String> problem(HealthReport report, String channel) {
        return report.getChannels().stream()
                .filter(info -> info.getChannel().equals(channel) && !info.isOk())
                .findFirst()
                .map(info -> info.getMessage() == null ? "down" : info.getMessage());
    }
}
