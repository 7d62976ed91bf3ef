package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.LogContext;
import dev.cidra.contract.Producers;
import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.execution.PhaseTimers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Handles one request record: decodes it, runs it and publishes the reply to the request's reply topic, keyed by job
 * id, on the request's reply partition (the waiting gateway replica's) when it names one, with the
 * {@link Topics#CORRELATION_ID} header (the request's, else its execution key). A reply Kafka refuses as
 * too large (more than {@link Topics#MAX_REPLY_BYTES}, or than its topic takes) is replaced at once by its
 * {@linkplain InvocationReply#undeliverable undeliverable} stand-in, so the caller learns why without waiting out its
 * timeout. A record that is not a valid {@link InvocationRequest}, or whose reply (or stand-in) cannot be published to
 * its reply topic, is copied to {@link Topics#DEAD_LETTER} with the reason; the returned future says when Kafka has
 * acknowledged what was published.
 *
 * <p>Each record is handled in a span that continues the trace its headers carry, with a {@code cidra.run} child for
 * the guest and a {@code cidra.publish} child that ends when Kafka acknowledged the reply; the reply carries the trace
 * context, and every log line written meanwhile carries the job and execution ids. Thread-safe.
 */
@Singleton
class RequestHandler {
    private final ObjectMapper json;
    private final RecordDecoder decoder;
    private final RequestRunner runner;
    private final RecordTracing tracing;
    private final PhaseTimers phases;
    private final Ticker ticker;

    RequestHandler(
            ObjectMapper json,
            RecordDecoder decoder,
            RequestRunner runner,
            RecordTracing tracing,
            PhaseTimers phases,
            Ticker ticker) {
        this.ticker = ticker;
        this.json = json;
        this.decoder = decoder;
        this.runner = runner;
        this.tracing = tracing;
        this.phases = phases;
    }

    /**
     * Decodes and runs the request on the calling thread, then publishes its reply (or its dead letter, when the
     * record is not a valid request or the reply cannot be published).
     *
     * @return completes when Kafka has acknowledged the reply or dead letter; exceptionally when neither could be
     *     published, and the record must be consumed again
     */
    CompletableFuture<Void> handle(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer) {
        phases.recordQueue(PhaseTimers.Kind.INVOCATION, record.timestamp());
        try (var step = tracing.process(record)) {
            InvocationRequest request;
            try {
                request = decoder.decode(record.value(), InvocationRequest.class);
            } catch (IllegalArgumentException e) {
                step.fail(e.getMessage());
                return deadLetter(record, e.getMessage(), producer);
            }
            try (var log = LogContext.job(request.jobId(), request.executionKey())) {
                return runAndReply(record, request, producer);
            }
        }
    }

    /** Runs a decoded request and publishes its reply, in the current span. */
    private CompletableFuture<Void> runAndReply(
            ConsumerRecord<byte[], byte[]> record, InvocationRequest request, Producer<byte[], byte[]> producer) {
        var reply = runner.run(request);
        var correlationId = record.headers().lastHeader(Topics.CORRELATION_ID) == null
                ? request.executionKey().getBytes(StandardCharsets.UTF_8)
                : record.headers().lastHeader(Topics.CORRELATION_ID).value();
        return publish(reply, request, correlationId, producer)
                .handle((sent, failure) -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (cause instanceof RecordTooLargeException) {
                        runner.countUndeliverable();
                        return publish(
                                        reply.undeliverable(cause.getMessage()
                                                + " (the reply topic takes at most "
                                                + Topics.MAX_REPLY_BYTES
                                                + " bytes a record; run it as a job to get a result this large)"),
                                        request,
                                        correlationId,
                                        producer)
                                .handle((standIn, again) -> again == null
                                        ? CompletableFuture.<Void>completedFuture(null)
                                        : unpublished(record, request, again, producer))
                                .thenCompose(Function.identity());
                    }
                    return unpublished(record, request, cause, producer);
                })
                .thenCompose(Function.identity());
    }

    /** Publishes {@code reply} under a {@code cidra.publish} span; completes when Kafka acknowledged it. */
    private CompletableFuture<Void> publish(
            InvocationReply reply, InvocationRequest request, byte[] correlationId, Producer<byte[], byte[]> producer) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(reply);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("cannot encode the reply of job " + reply.jobId(), e));
        }
        var out = new ProducerRecord<>(
                request.replyTopic(), request.replyPartition(), reply.jobId().getBytes(StandardCharsets.UTF_8), value);
        out.headers().add(Topics.CORRELATION_ID, correlationId);
        Span publish;
        try (var step = tracing.step("cidra.publish")) {
            tracing.inject(out);
            publish = step.leave();
        }
        long publishing = ticker.read();
        return Producers.send(producer, out)
                .whenComplete((sent, failure) -> {
                    phases.record(
                            PhaseTimers.Kind.INVOCATION,
                            PhaseTimers.Phase.PUBLISH,
                            Duration.ofNanos(ticker.read() - publishing));
                    if (failure != null) {
                        publish.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                    }
                    publish.end();
                })
                .thenApply(sent -> null);
    }

    private CompletableFuture<Void> unpublished(
            ConsumerRecord<byte[], byte[]> record,
            InvocationRequest request,
            Throwable failure,
            Producer<byte[], byte[]> producer) {
        return deadLetter(
                record,
                "the reply could not be published to " + request.replyTopic() + ": " + failure.getMessage(),
                producer);
    }

    private CompletableFuture<Void> deadLetter(
            ConsumerRecord<byte[], byte[]> record, String reason, Producer<byte[], byte[]> producer) {
        return Producers.send(producer, DeadLetter.of(record, reason)).thenRun(runner::countDeadLetter);
    }
}
