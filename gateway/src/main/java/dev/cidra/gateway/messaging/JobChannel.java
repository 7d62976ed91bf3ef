package dev.cidra.gateway.messaging;

import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Submits jobs: the {@link JobEvent#queued queued event} to {@link Topics#JOB_EVENTS} (keyed by job id) and the
 * {@link JobRequest} to {@link Topics#JOBS} (keyed by CID) in one Kafka transaction, so consumers reading
 * {@code read_committed} see both or neither. Executors must read {@link Topics#JOBS} with
 * {@code isolation.level=read_committed} for this to hold.
 *
 * <p>One transactional producer, one transaction at a time (submissions are serialized; each takes a round trip to
 * the transaction coordinator). A failed transaction is aborted; if even that fails, the producer is closed and a new
 * one, with the same transactional id, is made for the next submission: initializing it aborts whatever the failed
 * one left open (until then, or until the broker's transaction timeout, {@code read_committed} readers of the
 * partitions it wrote wait). Thread-safe.
 *
 * <p>The same transactions also serve the {@link SubmissionConsumer}: a job (or a dead letter) read from Kafka is
 * published together with its record's offset commit ({@code sendOffsetsToTransaction}), both or neither.
 */
@Singleton
public class JobChannel {
    private static final Logger LOG = Logger.getLogger(JobChannel.class);

    private final KafkaClients clients;
    private final Records records;
    private final JobView view;
    /** Unique per process: replicas never fence each other. */
    private final String transactionalId = "cidra-gateway-jobs-" + UUID.randomUUID();

    private KafkaProducer<byte[], byte[]> producer; // guarded by this

    JobChannel(KafkaClients clients, Records records, JobView view) {
        this.clients = clients;
        this.records = records;
        this.view = view;
    }

    /**
     * Initializes the transactional producer.
     *
     * @throws KafkaException if Kafka cannot be reached; startup fails
     */
    synchronized void start(@Observes StartupEvent startup) {
        producer = newProducer();
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        if (producer != null) {
            producer.close(clients.requestTimeout());
            producer = null;
        }
    }

    /**
     * A record read by a consumer of a group, to be marked consumed in the transaction that handles it: the offset after
     * it is committed for the group with the consumer's metadata, so a consumer fenced by a rebalance commits nothing.
     */
    public record Consumed(ConsumerRecord<byte[], byte[]> record, ConsumerGroupMetadata group) {
        Map<TopicPartition, OffsetAndMetadata> offsets() {
            return Map.of(
                    new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }

        /** The last value of the record's header {@code name} as UTF-8, or null when it has none. */
        public String header(String name) {
            return Records.header(record, name);
        }

        /** Where the record was read: {@code topic-partition@offset}. */
        public String origin() {
            return DeadLetter.origin(record);
        }
    }

    /**
     * Publishes the job's queued event and its request atomically, with {@code consumed} (when not null: a submission
     * read from Kafka) committed in the same transaction, returning once the transaction is committed, and folds the
     * event into this replica's view (so the job is known here at once).
     *
     * @throws MessagingException if the transaction failed or was not confirmed within
     *     {@code cidra.kafka.request-timeout}; it was aborted (and {@code consumed} not committed), or, in the
     *     unconfirmed case, may rarely have committed
     */
    public synchronized void submit(JobEvent queued, JobRequest request, Consumed consumed) {
        transact(
                List.of(
                        records.of(Topics.JOB_EVENTS, queued.jobId(), queued),
                        records.of(Topics.JOBS, request.moduleCid(), request)),
                consumed,
                Topics.JOB_EVENTS + " and " + Topics.JOBS,
                "job " + request.jobId());
        view.apply(queued);
    }

    /**
     * Commits {@code consumed} with nothing published: a record that needs nothing (more) done.
     *
     * @throws MessagingException if the transaction failed or was not confirmed
     */
    public synchronized void commit(Consumed consumed) {
        transact(
                List.of(),
                consumed,
                "the consumer offsets of " + consumed.record().topic(),
                consumed.origin());
    }

    /**
     * Copies the consumed record byte for byte (key, value, headers) to {@link Topics#DEAD_LETTER}, with the
     * {@link Topics#DEAD_LETTER_REASON} and {@link Topics#DEAD_LETTER_ORIGIN} headers replacing any it had, and commits
     * it as consumed in the same transaction.
     *
     * @throws MessagingException if the transaction failed or was not confirmed
     */
    public synchronized void deadLetter(Consumed consumed, String reason) {
        var letter = DeadLetter.of(consumed.record(), reason);
        transact(List.of(letter), consumed, Topics.DEAD_LETTER, "the dead letter of " + consumed.origin());
    }

    /** Sends {@code out} and commits {@code consumed} (if any) in one transaction. Caller holds the monitor. */
    private void transact(List<ProducerRecord<byte[], byte[]>> out, Consumed consumed, String topics, String what) {
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            var sent = new ArrayList<Future<RecordMetadata>>();
            out.forEach(record -> sent.add(producer.send(record)));
            if (consumed != null) {
                producer.sendOffsetsToTransaction(consumed.offsets(), consumed.group());
            }
            producer.commitTransaction(); // flushes; throws if a send failed
            for (var future : sent) {
                future.get();
            }
        } catch (KafkaException | ExecutionException e) {
            abort();
            throw KafkaClients.unavailable(topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardProducer();
            throw new MessagingException("interrupted while publishing " + what, e);
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        var created = clients.producer("cidra-gateway-jobs", Optional.of(transactionalId));
        try {
            created.initTransactions();
            return created;
        } catch (KafkaException e) {
            created.close(Duration.ZERO);
            throw e;
        }
    }

    /** Aborts the failed transaction, or discards the producer if it cannot. Caller holds the monitor. */
    private void abort() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.debugf(e, "cannot abort the failed job transaction; the producer is replaced");
            discardProducer();
        }
    }

    /** Closes the producer after a failure; the next submission makes a new one. Caller holds the monitor. */
    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debugf(e, "closing the failed job producer");
            }
            producer = null;
        }
    }
}
