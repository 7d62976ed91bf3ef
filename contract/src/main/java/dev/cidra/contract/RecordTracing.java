package dev.cidra.contract;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Trace context on Kafka records: every record a service produces carries the current context in its headers (with
 * the W3C propagator, {@code traceparent} and {@code tracestate}), and the work a consumed record starts runs in a
 * {@link SpanKind#CONSUMER} span that continues the trace its headers carry, so one trace follows a call or a job from
 * the gateway's HTTP request through the executor and back. Spans in progress are current on their thread and their
 * ids are in the logging MDC ({@code traceId}, {@code spanId}, the keys Quarkus uses), so log lines name their trace.
 * Thread-safe; a {@link Step} belongs to the thread that started it.
 */
public final class RecordTracing {
    /** The MDC key of the current trace id. */
    public static final String TRACE_ID = "traceId";
    /** The MDC key of the current span id. */
    public static final String SPAN_ID = "spanId";

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return Arrays.stream(headers.toArray()).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    /** @param instrumentation the name spans are reported under, e.g. {@code cidra-executor} */
    public RecordTracing(OpenTelemetry telemetry, String instrumentation) {
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer(instrumentation);
    }

    /** Writes the current context into the record's headers, replacing trace headers it had; returns the record. */
    public <K, V> ProducerRecord<K, V> inject(ProducerRecord<K, V> record) {
        telemetry.getPropagators().getTextMapPropagator().inject(Context.current(), record.headers(), SETTER);
        return record;
    }

    /**
     * Starts the span of processing {@code record}, named {@code process <topic>}, as a child of the context its
     * headers carry (a new trace when they carry none), and makes it current on this thread until the step is closed.
     */
    public Step process(ConsumerRecord<?, ?> record) {
        Context parent =
                telemetry.getPropagators().getTextMapPropagator().extract(Context.root(), record.headers(), GETTER);
        Span span = tracer.spanBuilder("process " + record.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "process")
                .setAttribute(PARTITION, Integer.toString(record.partition()))
                .setAttribute(OFFSET, record.offset())
                .startSpan();
        return new Step(span);
    }

    /** Starts an internal span named {@code name}, a child of the current one, current until the step is closed. */
    public Step step(String name) {
        return new Step(tracer.spanBuilder(name).startSpan());
    }

    /** A span in progress, current on the thread that started it; closing ends it and restores what was current. */
    public static final class Step implements AutoCloseable {
        private final Span span;
        private final Scope scope;
        private final LogContext log;
        private boolean left;

        private Step(Span span) {
            this.span = span;
            this.scope = span.makeCurrent();
            SpanContext ids = span.getSpanContext();
            var values = new LinkedHashMap<String, String>();
            if (ids.isValid()) {
                values.put(TRACE_ID, ids.getTraceId());
                values.put(SPAN_ID, ids.getSpanId());
            }
            this.log = LogContext.put(values);
        }

        /** The span, to add attributes or events to. */
        public Span span() {
            return span;
        }

        /** Marks the span as failed with {@code failure}'s message. */
        public void fail(Throwable failure) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }

        /** Marks the span as failed with {@code reason}. */
        public void fail(String reason) {
            span.setStatus(StatusCode.ERROR, reason);
        }

        /**
         * Restores what was current on this thread without ending the span, for work that ends on another thread; the
         * caller ends the returned span. Closing the step afterwards does nothing.
         */
        public Span leave() {
            if (!left) {
                left = true;
                log.close();
                scope.close();
            }
            return span;
        }

        @Override
        public void close() {
            if (!left) {
                leave();
                span.end();
            }
        }
    }
}
