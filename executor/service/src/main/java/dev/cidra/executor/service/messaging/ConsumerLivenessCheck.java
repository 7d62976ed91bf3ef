package dev.cidra.executor.service.messaging;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live only while both consumer loops run: a loop that ended on a failure consumes nothing more, so the node must be
 * restarted (by Kubernetes, or `cidra up`) rather than left looking healthy. Each trigger's state is reported too
 * ({@code trigger:<name>}), without deciding liveness: a stopped trigger is started again by {@link TriggerConsumers};
 * but a node whose reader of trigger definitions has stopped is DOWN.
 * Kept beside the loops it watches, whose state is package-private.
 */
@Liveness
@Singleton
class ConsumerLivenessCheck implements HealthCheck {
    private final RequestConsumer requests;
    private final JobConsumer jobs;
    private final TriggerConsumers triggers;

    ConsumerLivenessCheck(RequestConsumer requests, JobConsumer jobs, TriggerConsumers triggers) {
        this.requests = requests;
        this.jobs = jobs;
        this.triggers = triggers;
    }

    @Override
    public HealthCheckResponse call() {
        String requestFailure = requests.failure();
        String jobFailure = jobs.failure();
        var response = HealthCheckResponse.named("kafka-consumers")
                .withData("requests", requestFailure == null ? "consuming" : "stopped: " + requestFailure)
                .withData("jobs", jobFailure == null ? "consuming" : "stopped: " + jobFailure);
        triggers.states().forEach((name, state) -> response.withData("trigger:" + name, state));
        String triggerReader = triggers.readerFailure();
        if (triggerReader != null) {
            // Definitions no longer arrive: deleted triggers would run on, new ones never start.
            return response.withData("triggers", "stopped: " + triggerReader)
                    .down()
                    .build();
        }
        return (requestFailure == null && jobFailure == null ? response.up() : response.down()).build();
    }
}
