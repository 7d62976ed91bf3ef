package dev.cidra.gateway.health;

import dev.cidra.gateway.messaging.JobEventListener;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the job view has read every job event the topic held when the replica started, and while its channel
 * keeps reading (the messaging extension's health of the channel): before that, {@code GET /v1/jobs/{id}} would answer
 * 404 for jobs this replica has not read yet.
 */
@Readiness
@Singleton
class JobViewReadinessCheck implements HealthCheck {
    private final JobEventListener events;
    private final ChannelHealth channels;

    JobViewReadinessCheck(JobEventListener events, ChannelHealth channels) {
        this.events = events;
        this.channels = channels;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("job-view");
        String failure = channels.notReady(JobEventListener.CHANNEL).orElse(null);
        if (failure != null) {
            return response.down()
                    .withData("error", "the reader of job events stopped: " + failure)
                    .build();
        }
        if (!events.caughtUp()) {
            return response.down().withData("behind", events.behind()).build();
        }
        return response.up().build();
    }
}
