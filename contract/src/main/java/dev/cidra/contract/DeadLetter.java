package dev.cidra.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead letter of a record that can never run (every service builds it here): a byte-for-byte copy (key, value, headers) for
 * {@link Topics#DEAD_LETTER}, with the {@link Topics#DEAD_LETTER_REASON} and {@link Topics#DEAD_LETTER_ORIGIN}
 * headers replacing any the record had.
 */
public final class DeadLetter {
    private static final System.Logger LOG = System.getLogger(DeadLetter.class.getName());

    private DeadLetter() {}

    /** Where a record was read: {@code topic-partition@offset}. */
    public static String origin(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The dead letter of {@code record} for {@link Topics#DEAD_LETTER}; logs it as a warning. */
    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> record, String reason) {
        return of(record, Topics.DEAD_LETTER, reason);
    }

    /** The dead letter of {@code record} for {@code topic}; logs it as a warning. */
    public static ProducerRecord<byte[], byte[]> of(
            ConsumerRecord<byte[], byte[]> record, String topic, String reason) {
        LOG.log(System.Logger.Level.WARNING, "record {0} goes to {1}: {2}", origin(record), topic, reason);
        var out = new ProducerRecord<>(
                topic,
                null,
                record.key(),
                record.value(),
                new RecordHeaders(record.headers().toArray()));
        out.headers().remove(Topics.DEAD_LETTER_REASON).remove(Topics.DEAD_LETTER_ORIGIN);
        out.headers().add(Topics.DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add(Topics.DEAD_LETTER_ORIGIN, origin(record).getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
