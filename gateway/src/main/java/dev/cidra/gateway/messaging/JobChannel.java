package dev.cidra.gateway.messaging;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
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
     * Publishes the job's queued event and its request atomically, returning once the transaction is committed, and
     * folds the event into this replica's view (so the job is known here at once).
     *
     * @throws MessagingException if the transaction failed or was not confirmed within
     *     {@code cidra.kafka.request-timeout}; it was aborted, or, in the unconfirmed case, may rarely have committed
     */
    public synchronized void submit(JobEvent queued, JobRequest request) {
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            var event = producer.send(records.of(Topics.JOB_EVENTS, queued.jobId(), queued));
            var job = producer.send(records.of(Topics.JOBS, request.moduleCid(), request));
            producer.commitTransaction(); // flushes; throws if a send failed
            event.get();
            job.get();
        } catch (KafkaException | ExecutionException e) {
            abort();
            throw KafkaClients.unavailable(Topics.JOB_EVENTS + " and " + Topics.JOBS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discardProducer();
            throw new MessagingException("interrupted while submitting job " + request.jobId(), e);
        }
        view.apply(queued);
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
