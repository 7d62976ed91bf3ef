package dev.cidra.gateway.messaging;

import dev.cidra.contract.CatchUp;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The triggers, as {@link Topics#TRIGGERS} holds them: every replica reads the whole topic from the beginning into
 * memory through the channel {@value #CHANNEL} (a consumer group of its own per replica, so it is assigned every
 * partition, committing nothing), and writes definitions and tombstones there. A write returns once this replica has
 * read it back, so a replica's own changes are visible to its next read (other replicas see them moments later).
 * Records that are not valid {@link Trigger}s are logged and skipped. Thread-safe.
 */
@Singleton
public class TriggerStore {
    /** The incoming channel of {@link Topics#TRIGGERS}. */
    public static final String CHANNEL = "triggers";

    private static final Logger LOG = Logger.getLogger(TriggerStore.class);

    private final KafkaClients clients;
    private final Admin admin;
    private final Records records;
    private final Clock clock;
    private final KafkaClientService channels;

    private final CatchUp catchUp = new CatchUp();
    private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();
    private final Map<Integer, Long> read = new HashMap<>(); // guarded by itself: next offset per partition
    private KafkaProducer<byte[], byte[]> producer;

    TriggerStore(KafkaClients clients, Admin admin, Records records, Clock clock, KafkaClientService channels) {
        this.clients = clients;
        this.admin = admin;
        this.records = records;
        this.clock = clock;
        this.channels = channels;
    }

    void start(@Observes StartupEvent startup) {
        producer = clients.producer("cidra-gateway-triggers", Optional.empty());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (producer != null) {
            producer.close(clients.requestTimeout());
        }
    }

    /** Tells {@link #caughtUp()} where the end was when the channel's consumer was assigned the partitions. */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener catchUpListener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                catchUp.assigned(consumer, partitions);
            }
        };
    }

    /**
     * Whether every definition that was in the topic when this replica started has been read. Until it has, asks the
     * channel's consumer where it is (waiting at most {@code cidra.kafka.request-timeout}).
     */
    public boolean caughtUp() {
        return Channels.caughtUp(catchUp, channels, CHANNEL, clients.requestTimeout());
    }

    /**
     * @throws MessagingException if this replica has not read every definition the topic held at startup yet (a
     *     definition made now could silently replace one it has not seen)
     */
    public void requireCaughtUp() {
        if (!caughtUp()) {
            throw new MessagingException(
                    "the trigger definitions in " + Topics.TRIGGERS + " are still being read; retry in a moment", null);
        }
    }

    public Optional<Trigger> get(String name) {
        return Optional.ofNullable(triggers.get(name));
    }

    /** Every trigger, in no particular order. */
    public Collection<Trigger> all() {
        return List.copyOf(triggers.values());
    }

    /**
     * Publishes a definition (replacing any of the same name) and waits until this replica has read it back.
     *
     * @throws MessagingException if Kafka did not take it, or it was not read back, within the request timeout
     */
    public void put(Trigger trigger) {
        write(records.of(Topics.TRIGGERS, trigger.name(), trigger));
    }

    /**
     * Publishes the tombstone of {@code name} and waits until this replica has read it back.
     *
     * @throws MessagingException as {@link #put}
     */
    public void delete(String name) {
        write(new ProducerRecord<>(Topics.TRIGGERS, name.getBytes(StandardCharsets.UTF_8), null));
    }

    /**
     * Creates the topics that do not exist yet, with the broker's defaults.
     *
     * @throws MessagingException naming the topic that could not be created
     */
    public void createTopics(Collection<String> topics) {
        try {
            new TopicCreator(OptionalInt.empty(), Optional.empty(), clients.requestTimeout())
                    .createMissing(admin, topics);
        } catch (IllegalStateException e) {
            throw new MessagingException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while creating " + topics, e);
        }
    }

    /**
     * The end offset of every partition of {@code topic} now: where a trigger created now starts.
     *
     * @throws MessagingException if Kafka does not answer within the request timeout
     */
    public Map<Integer, Long> endOffsets(String topic) {
        var description = await(admin.describeTopics(List.of(topic)).allTopicNames(), topic)
                .get(topic);
        var request = new HashMap<TopicPartition, OffsetSpec>();
        description
                .partitions()
                .forEach(partition ->
                        request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        var ends = new HashMap<Integer, Long>();
        await(
                        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                                .all(),
                        topic)
                .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /**
     * Where {@code trigger}'s consumer group has committed, per partition of its topic; a partition it has committed
     * nothing for is absent.
     *
     * @throws MessagingException if Kafka does not answer within {@code cidra.kafka.request-timeout}
     */
    public Map<Integer, Long> committedOffsets(Trigger trigger) {
        var committed = new HashMap<Integer, Long>();
        await(
                        admin.listConsumerGroupOffsets(trigger.groupId()).partitionsToOffsetAndMetadata(),
                        "consumer group " + trigger.groupId())
                .forEach((partition, offset) -> {
                    if (offset != null && partition.topic().equals(trigger.topic())) {
                        committed.put(partition.partition(), offset.offset());
                    }
                });
        return committed;
    }

    /** {@code answer} within the request timeout; else a {@link MessagingException} naming {@code what}. */
    private <T> T await(KafkaFuture<T> answer, String what) {
        try {
            return answer.get(clients.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreadable(what, e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw unreadable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreadable(what, e);
        }
    }

    private static MessagingException unreadable(String what, Throwable cause) {
        return new MessagingException("cannot read the offsets of " + what + " from Kafka: " + cause, cause);
    }

    private void write(ProducerRecord<byte[], byte[]> record) {
        RecordMetadata written;
        try {
            written = Producers.send(producer, record)
                    .get(clients.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw KafkaClients.unavailable(Topics.TRIGGERS, e.getCause());
        } catch (TimeoutException e) {
            throw KafkaClients.unavailable(Topics.TRIGGERS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaClients.unavailable(Topics.TRIGGERS, e);
        }
        awaitRead(written.partition(), written.offset());
    }

    private void awaitRead(int partition, long offset) {
        Instant deadline = clock.instant().plus(clients.requestTimeout());
        synchronized (read) {
            while (read.getOrDefault(partition, 0L) <= offset) {
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    throw new MessagingException(
                            "the trigger was written to " + Topics.TRIGGERS + " but not read back within "
                                    + clients.requestTimeout(),
                            null);
                }
                try {
                    read.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MessagingException("interrupted while reading back a trigger", e);
                }
            }
        }
    }

    /** Folds a definition or tombstone into the triggers; one that is not valid is logged and skipped. */
    @Incoming(CHANNEL)
    @NonBlocking
    void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.key() != null) {
                String name = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    triggers.remove(name);
                } else {
                    triggers.put(name, records.decode(record, Trigger.class));
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled; skipped", DeadLetter.origin(record));
        } finally {
            synchronized (read) {
                read.merge(record.partition(), record.offset() + 1, Math::max);
                read.notifyAll();
            }
            catchUp.handled(record);
        }
    }
}
