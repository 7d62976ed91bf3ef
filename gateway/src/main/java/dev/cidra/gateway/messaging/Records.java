package dev.cidra.gateway.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.RecordTracing;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Encodes contract records as JSON record values and decodes them, with the application's {@link ObjectMapper}. Every
 * record encoded here carries the current trace context (the HTTP request's, or the consumed record's).
 */
@Singleton
class Records {
    private final ObjectMapper json;
    private final RecordTracing tracing;

    Records(ObjectMapper json, RecordTracing tracing) {
        this.json = json;
        this.tracing = tracing;
    }

    /** A record of {@code value} as JSON, keyed by {@code key} (UTF-8), with the current trace context. */
    ProducerRecord<byte[], byte[]> of(String topic, String key, Object value) {
        try {
            return tracing.inject(
                    new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot encode a " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The record's value as a {@code type}.
     *
     * @throws IllegalArgumentException saying why it is not one (the record is then skipped by its reader)
     */
    <T> T decode(ConsumerRecord<byte[], byte[]> record, Class<T> type) {
        try {
            T value = record.value() == null ? null : json.readValue(record.value(), type);
            if (value == null) {
                throw new IllegalArgumentException("the record has no value; expected a " + type.getSimpleName());
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The last value of a header as UTF-8, or null when the record has none. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
