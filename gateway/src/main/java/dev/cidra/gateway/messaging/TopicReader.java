package dev.cidra.gateway.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on a thread of its own, outside any consumer group (partitions assigned by hand:
 * no rebalance, no committed offsets), and hands each record to a handler in partition order. A handler that throws
 * loses that record only (logged). The reader stops when closed, or when the consumer fails for good, which
 * {@link #failure()} then reports. Partitions added to the topic later are not read.
 */
final class TopicReader implements AutoCloseable {
    /** Where reading starts. */
    enum From {
        /** The first retained record: the reader {@linkplain #caughtUp() catches up} with the end offsets at start. */
        BEGINNING,
        /** The end at start: only records written after {@link #start()} returned are read. */
        END
    }

    private static final Logger LOG = Logger.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final From from;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Duration closeTimeout;
    private Map<TopicPartition, Long> startEnds = Map.of(); // loop thread after start
    private volatile long behind = -1;
    private volatile String failure;
    private volatile boolean running;
    private Thread loop;

    TopicReader(
            KafkaClients clients,
            String topic,
            From from,
            boolean readCommitted,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.consumer = clients.consumer("cidra-gateway-" + topic, readCommitted);
        this.topic = topic;
        this.from = from;
        this.handler = handler;
        this.closeTimeout = clients.requestTimeout();
    }

    /**
     * Assigns every partition and positions the consumer, then starts reading. With {@link From#END} the positions are
     * resolved before this returns, so no record published afterwards is missed.
     *
     * @throws org.apache.kafka.common.KafkaException if Kafka cannot be reached within the request timeout
     */
    void start() {
        List<TopicPartition> partitions = KafkaClients.partitionsOf(consumer, topic);
        consumer.assign(partitions);
        if (from == From.END) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            behind = 0;
        } else {
            consumer.seekToBeginning(partitions);
            startEnds = new HashMap<>(consumer.endOffsets(partitions));
            updateBehind();
        }
        running = true;
        loop = Thread.ofPlatform().name("cidra-read-" + topic).daemon(true).start(this::read);
    }

    /** Whether the reader has read up to the end offsets the topic had at {@link #start()}. */
    boolean caughtUp() {
        return behind == 0;
    }

    /** Records still to read up to the end offsets at start; -1 before {@link #start()}. */
    long behind() {
        return behind;
    }

    /** Why the reader stopped for good, or null while it reads. */
    String failure() {
        return failure;
    }

    /** Stops the loop and closes the consumer, waiting for the loop to end. */
    @Override
    public void close() {
        running = false;
        if (loop == null) {
            consumer.close(CloseOptions.timeout(closeTimeout));
            return;
        }
        consumer.wakeup();
        try {
            loop.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        LOG.errorf(
                                e,
                                "record %s-%d@%d could not be handled; skipped",
                                record.topic(),
                                record.partition(),
                                record.offset());
                    }
                }
                if (behind != 0) {
                    updateBehind();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = "woken up unexpectedly";
                LOG.errorf(e, "reader of %s woken up unexpectedly; it stops", topic);
            }
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.errorf(e, "reader of %s failed; it stops", topic);
        } finally {
            consumer.close(CloseOptions.timeout(closeTimeout));
        }
    }

    private void updateBehind() {
        long sum = 0;
        for (var end : startEnds.entrySet()) {
            sum += Math.max(0, end.getValue() - consumer.position(end.getKey()));
        }
        behind = sum;
    }
}
