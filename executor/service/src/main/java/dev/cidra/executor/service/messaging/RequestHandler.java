package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.Topics;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Handles one request record: decodes it, runs it and publishes the reply to the request's reply topic, keyed by job
 * id, with the {@link Topics#CORRELATION_ID} header (the request's, else its execution key). A record that is not a
 * valid {@link InvocationRequest}, or whose reply cannot be published to its reply topic, is copied to
 * {@link Topics#DEAD_LETTER} with the reason. Returns only once Kafka has acknowledged what was published.
 * Thread-safe.
 */
@Singleton
class RequestHandler {
    private static final Logger LOG = Logger.getLogger(RequestHandler.class);

    private final ObjectMapper json;
    private final RequestRunner runner;

    RequestHandler(ObjectMapper json, RequestRunner runner) {
        this.json = json;
        this.runner = runner;
    }

    /**
     * @throws IllegalStateException if neither the reply nor a dead letter could be published (the record must be
     *     consumed again), or if interrupted while waiting for Kafka (the interrupt flag is kept)
     */
    void handle(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer) {
        InvocationRequest request;
        try {
            request = decode(record.value());
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

    /**
     * Decodes a request.
     *
     * @throws IllegalArgumentException saying why the value is not a valid request
     */
    private InvocationRequest decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("the record has no value; expected an InvocationRequest as JSON");
        }
        try {
            var request = json.readValue(value, InvocationRequest.class);
            if (request == null) {
                throw new IllegalArgumentException("the record's value is JSON null; expected an InvocationRequest");
            }
            return request;
        } catch (ValueInstantiationException e) {
            var cause =
                    e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            throw new IllegalArgumentException("invalid InvocationRequest: " + cause, e);
        } catch (JsonProcessingException e) {
            var location = e.getLocation() == null
                    ? ""
                    : " (at offset " + e.getLocation().getByteOffset() + ")";
            throw new IllegalArgumentException(
                    "not an InvocationRequest as JSON: " + e.getOriginalMessage() + location, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an InvocationRequest as JSON: " + e.getMessage(), e);
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Producer<byte[], byte[]> producer) {
        LOG.warnf(
                "request %s-%d@%d goes to %s: %s",
                record.topic(), record.partition(), record.offset(), Topics.DEAD_LETTER, reason);
        var out = new ProducerRecord<>(Topics.DEAD_LETTER, null, record.key(), record.value(), record.headers());
        out.headers().remove(Topics.DEAD_LETTER_REASON).remove(Topics.DEAD_LETTER_ORIGIN);
        out.headers().add(Topics.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        out.headers()
                .add(
                        Topics.DEAD_LETTER_ORIGIN,
                        (record.topic() + "-" + record.partition() + "@" + record.offset())
                                .getBytes(StandardCharsets.UTF_8));
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
