package dev.cidra.gateway.health;

import dev.cidra.gateway.inbound.SubmissionConsumer;
import dev.cidra.gateway.messaging.InvocationChannel;
import dev.cidra.gateway.messaging.KafkaClients;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster describes itself within {@code cidra.kafka.request-timeout}, the reader of
 * replies runs, and the channels of {@code cidra.job-submissions} are alive and its consumer ready (the messaging
 * extension's health): without them no invocation or job gets through.
 */
@Readiness
@Singleton
class KafkaReadinessCheck implements HealthCheck {
    private final Admin admin;
    private final KafkaClients clients;
    private final InvocationChannel invocations;
    private final ChannelHealth channels;

    KafkaReadinessCheck(Admin admin, KafkaClients clients, InvocationChannel invocations, ChannelHealth channels) {
        this.admin = admin;
        this.clients = clients;
        this.invocations = invocations;
        this.channels = channels;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrap-servers", clients.bootstrapServers());
        Duration timeout = clients.requestTimeout();
        String readerFailure = invocations.readerFailure();
        if (readerFailure != null) {
            return response.down()
                    .withData("error", "the reader of replies stopped: " + readerFailure)
                    .build();
        }
        String submissionsFailure = channels.notReady(SubmissionConsumer.CHANNEL)
                .or(() -> channels.failure(SubmissionConsumer.PUBLISHED))
                .orElse(null);
        if (submissionsFailure != null) {
            return response.down()
                    .withData("error", "the consumer of submitted jobs stopped: " + submissionsFailure)
                    .build();
        }
        try {
            var nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return response.up().withData("brokers", nodes.size()).build();
        } catch (ExecutionException e) {
            return response.down().withData("error", e.getCause().getMessage()).build();
        } catch (TimeoutException e) {
            return response.down()
                    .withData("error", "no answer within " + timeout)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
