package dev.cidra.executor.service.health;

import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Kafka cluster answers within {@code cidra.kafka.request-timeout}: requests come from there. */
@Readiness
@Singleton
class KafkaReadinessCheck implements HealthCheck {
    private final Admin admin;
    private final ExecutorConfig.Kafka kafka;

    KafkaReadinessCheck(Admin admin, ExecutorConfig config) {
        this.admin = admin;
        this.kafka = config.kafka();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrap-servers", kafka.bootstrapServers());
        try {
            var nodes =
                    admin.describeCluster().nodes().get(kafka.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return response.up().withData("brokers", nodes.size()).build();
        } catch (ExecutionException e) {
            return response.down().withData("error", e.getCause().getMessage()).build();
        } catch (TimeoutException e) {
            return response.down()
                    .withData("error", "no answer within " + kafka.requestTimeout())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        }
    }
}
