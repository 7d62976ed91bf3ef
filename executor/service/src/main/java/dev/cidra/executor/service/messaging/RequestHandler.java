package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.Topics;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Handles one request record: decodes it, runs it and publishes the reply to the request's reply topic, keyed by job
 * id, with the {@link Topics#CORRELATION_ID} header (the request's, else its execution key). A record that is not a
 * valid {@link InvocationRequest}, or whose reply cannot be published to its reply topic, is copied to
 * {@link Topics#DEAD_LETTER} with the reason. Returns only once Kafka has acknowledged what was published.
 * Thread-safe.
 */
@Singleton
class RequestHandler {
    private final ObjectMapper json;
    private final RecordDecoder decoder;
    private final RequestRunner runner;

    RequestHandler(ObjectMapper json, RecordDecoder decoder, RequestRunner runner) {
        this.json = json;
        this.decoder = decoder;
        this.runner = runner;
    }

    /**
     * @throws IllegalStateException if neither the reply nor a dead letter could be published (the record must be
     *     consumed again), or if interrupted while waiting for Kafka (the interrupt flag is kept)
     */
    void handle(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer) {
        InvocationRequest request;
        try {
            request = decoder.decode(record.value(), InvocationRequest.class);
        } catch (IllegalArgumentException e) {
            deadLetter(record, e.getMessage(), producer);
            return;
        }
        var reply = runner.run(request);
        var correlationId = record.headers().lastHeader(Topics.CORRELATION_ID) == null
                ? request.executionKey().getBytes(StandardCharsets.UTF_8)
                : record.headers().lastHeader(Topics.CORRELATION_ID).value();
        byte[] value;
        try {
            value = json.writeValueAsBytes(reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the reply of job " + reply.jobId(), e);
        }
        var out = new ProducerRecord<>(request.replyTopic(), reply.jobId().getBytes(StandardCharsets.UTF_8), value);
        out.headers().add(Topics.CORRELATION_ID, correlationId);
        try {
            send(producer, out);
        } catch (ExecutionException e) {
            deadLetter(
                    record,
                    "the reply could not be published to " + request.replyTopic() + ": "
                            + e.getCause().getMessage(),
                    producer);
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Producer<byte[], byte[]> producer) {
        var out = DeadLetter.of(record, reason);
        try {
            send(producer, out);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish a dead letter to " + Topics.DEAD_LETTER + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
        runner.countDeadLetter();
    }

    /** Sends and waits for the acknowledgement (bounded by the producer's delivery timeout). */
    private static void send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record)
            throws ExecutionException {
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + record.topic(), e);
        }
    }
}
