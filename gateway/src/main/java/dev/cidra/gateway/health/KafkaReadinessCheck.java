package dev.cidra.gateway.health;

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
 * Ready only while the Kafka cluster describes itself within {@code cidra.kafka.request-timeout} and the reader of
 * replies runs: without them no invocation or job gets through.
 */
@Readiness
@Singleton
class KafkaReadinessCheck implements HealthCheck {
    private final Admin admin;
    private final KafkaClients clients;
    private final InvocationChannel invocations;

    KafkaReadinessCheck(Admin admin, KafkaClients clients, InvocationChannel invocations) {
        this.admin = admin;
        this.clients = clients;
        this.invocations = invocations;
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
