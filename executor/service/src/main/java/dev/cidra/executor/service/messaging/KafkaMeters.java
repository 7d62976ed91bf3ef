package dev.cidra.executor.service.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Publishes the Kafka clients' own metrics as {@code kafka.*} meters tagged with the client id, among them the
 * consumers' {@code kafka.consumer.fetch.manager.records.lag.max} (their lag) and the producers' request latencies.
 * Bindings end at shutdown. Thread-safe.
 */
@Singleton
public class KafkaMeters {
    private final MeterRegistry meters;
    private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();

    KafkaMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Meters {@code producer}; returns it. */
    public <P extends Producer<?, ?>> P bind(P producer) {
        bind(new KafkaClientMetrics(producer));
        return producer;
    }

    /** Meters {@code consumer}; returns it. */
    public <C extends Consumer<?, ?>> C bind(C consumer) {
        bind(new KafkaClientMetrics(consumer));
        return consumer;
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(meters);
        bound.add(metrics);
    }

    @PreDestroy
    void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
    }
}
