package dev.cidra.gateway.messaging;

import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicCreator;
import dev.cidra.contract.TopicReader;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The triggers, as {@link Topics#TRIGGERS} holds them: every replica reads the whole topic from the beginning into
 * memory, and writes definitions and tombstones there. A write returns once this replica has read it back, so a
 * replica's own changes are visible to its next read (other replicas see them moments later). Thread-safe.
 */
@Singleton
public class TriggerStore {
    private final KafkaClients clients;
    private final Admin admin;
    private final Records records;
    private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();
    private final Map<Integer, Long> read = new HashMap<>(); // guarded by itself: next offset per partition
    private KafkaProducer<byte[], byte[]> producer;
    private TopicReader reader;

    TriggerStore(KafkaClients clients, Admin admin, Records records) {
        this.clients = clients;
        this.admin = admin;
        this.records = records;
    }

    void start(@Observes StartupEvent startup) {
        producer = clients.producer("cidra-gateway-triggers", Optional.empty());
        reader = clients.reader(Topics.TRIGGERS, TopicReader.From.BEGINNING, false, this::apply);
        reader.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (reader != null) {
            reader.close();
            producer.close(clients.requestTimeout());
        }
    }

    /** Whether every definition that was in the topic when this replica started has been read. */
    public boolean caughtUp() {
        return reader != null && reader.caughtUp();
    }

    /** Why the reader stopped for good, or null while it reads. */
    public String failure() {
        return reader == null ? "not started" : reader.failure();
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
        try {
            var description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(clients.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            var request = new HashMap<TopicPartition, OffsetSpec>();
            description
                    .partitions()
                    .forEach(partition ->
                            request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
            var ends = new HashMap<Integer, Long>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(clients.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw KafkaClients.unavailable(topic, e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw KafkaClients.unavailable(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaClients.unavailable(topic, e);
        }
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
        var deadline = Instant.now().plus(clients.requestTimeout());
        synchronized (read) {
            while (read.getOrDefault(partition, 0L) <= offset) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
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

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.key() != null) {
                String name = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    triggers.remove(name);
                } else {
                    triggers.put(name, records.decode(record, Trigger.class));
                }
            }
        } finally {
            synchronized (read) {
                read.merge(record.partition(), record.offset() + 1, Math::max);
                read.notifyAll();
            }
        }
    }
}
