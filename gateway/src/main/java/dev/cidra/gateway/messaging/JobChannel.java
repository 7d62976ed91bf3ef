package dev.cidra.gateway.messaging;

import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.providers.NoProviderException;
import dev.cidra.gateway.providers.ProviderRoutes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Submits and cancels jobs: the {@link JobEvent#queued queued event} to {@link Topics#JOB_EVENTS} (keyed by job id) and the
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
 * <p>The jobs submitted on {@link Topics#JOB_SUBMISSIONS} are published as the same {@linkplain #records records}, in
 * the transactions of the channel that reads them, which commit the submission's offset too.
 */
@Singleton
public class JobChannel {
    private static final Logger LOG = Logger.getLogger(JobChannel.class);

    private final KafkaClients clients;
    private final Records records;
    private final ProviderRoutes routes;
    /** Unique per process: replicas never fence each other. */
    private final String transactionalId = "cidra-gateway-jobs-" + UUID.randomUUID();

    private KafkaProducer<byte[], byte[]> producer; // guarded by this

    JobChannel(KafkaClients clients, Records records, ProviderRoutes routes) {
        this.clients = clients;
        this.records = records;
        this.routes = routes;
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
     * One execution of a job and where it goes.
     *
     * @param nodeId the only executor that may run it, through {@link Topics#PINNED_JOBS}; null: any executor, through
     *     {@link Topics#JOBS}
     */
    public record Placed(JobRequest request, String nodeId) {}

    /**
     * The records that submit a job: its queued event to {@link Topics#JOB_EVENTS} (keyed by job id), then its request
     * to {@link Topics#JOBS}, or the topic of the provider nodes it needs ({@link ProviderRoutes}), keyed by CID, both
     * carrying the current trace context. Published in one transaction.
     *
     * @throws NoProviderException if the job needs a provided module no live provider node offers
     */
    public List<ProducerRecord<byte[], byte[]>> records(JobEvent queued, JobRequest request) {
        return records(queued, List.of(new Placed(request, null)));
    }

    /**
     * The records that submit a job of one or more executions: its queued event, then each execution's request, to
     * {@link Topics#JOBS} (keyed by CID) or, for a named node, to {@link Topics#PINNED_JOBS} (keyed by job id, with
     * the {@link Topics#NODE_ID} header). Published in one transaction.
     */
    public List<ProducerRecord<byte[], byte[]>> records(JobEvent queued, List<Placed> executions) {
        var out = new ArrayList<ProducerRecord<byte[], byte[]>>();
        out.add(records.of(Topics.JOB_EVENTS, queued.jobId(), queued));
        for (Placed execution : executions) {
            JobRequest request = execution.request();
            if (execution.nodeId() == null) {
                out.add(records.of(routes.jobsTopic(request), request.moduleKey(), request));
            } else {
                var record = records.of(Topics.PINNED_JOBS, request.jobId(), request);
                record.headers().add(Topics.NODE_ID, execution.nodeId().getBytes(StandardCharsets.UTF_8));
                out.add(record);
            }
        }
        return out;
    }

    /**
     * Publishes the job's queued event and its request atomically, returning once the transaction is committed.
     *
     * @throws MessagingException if the transaction failed or was not confirmed within
     *     {@code cidra.kafka.request-timeout}; it was aborted, or, in the unconfirmed case, may rarely have committed
     * @throws NoProviderException if the job needs a provided module no live provider node offers (nothing published)
     */
    public synchronized void submit(JobEvent queued, JobRequest request) {
        submit(queued, List.of(new Placed(request, null)));
    }

    /** Publishes {@link #records(JobEvent, List)} atomically, as {@link #submit(JobEvent, JobRequest)} does. */
    public synchronized void submit(JobEvent queued, List<Placed> executions) {
        transact(
                records(queued, executions),
                Topics.JOB_EVENTS + " and "
                        + (executions.stream().anyMatch(e -> e.nodeId() != null) ? Topics.PINNED_JOBS : Topics.JOBS),
                "job " + queued.jobId());
    }

    /**
     * Publishes a job's cancellation to {@link Topics#JOB_CANCELLATIONS} and its cancelled event to
     * {@link Topics#JOB_EVENTS} (both keyed by job id) atomically, returning once the transaction is committed.
     *
     * @throws MessagingException as {@link #submit}
     */
    public synchronized void cancel(JobCancellation cancellation) {
        transact(
                List.of(
                        records.of(Topics.JOB_CANCELLATIONS, cancellation.jobId(), cancellation),
                        records.of(
                                Topics.JOB_EVENTS, cancellation.jobId(), JobEvent.cancelled(cancellation, null, null))),
                Topics.JOB_CANCELLATIONS + " and " + Topics.JOB_EVENTS,
                "the cancellation of job " + cancellation.jobId());
    }

    /** Sends {@code out} in one transaction. Caller holds the monitor. */
    private void transact(List<ProducerRecord<byte[], byte[]>> out, String topics, String what) {
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            var sent = new ArrayList<Future<RecordMetadata>>();
            out.forEach(record -> sent.add(producer.send(record)));
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
