package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.LogContext;
import dev.cidra.contract.Producers;
import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.PhaseTimers;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.executor.service.jobs.JobRunner;
import dev.cidra.executor.service.providers.ProvidedModules;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#JOBS} (group {@code <cidra.kafka.group-id>-jobs}; a provider node: its set's topic and group
 * instead, {@link ProvidedModules}) and {@link Topics#PINNED_JOBS} (group
 * {@code <cidra.kafka.group-id>-pinned-<node id>}, of this node alone, so it reads every partition; only records whose
 * {@link Topics#NODE_ID} header names this node run, the others are committed as read), runs each job with the
 * {@link JobRunner} and publishes its terminal {@link JobEvent} on {@link Topics#JOB_EVENTS}, keyed by job id. Each
 * topic has a loop and a transactional producer of its own; what follows holds for both.
 *
 * <p>Delivery: the observable effects of an execution are exactly once. A poll returns at most
 * {@code cidra.execution.concurrency} records; their jobs run at once on as many worker threads (guests themselves
 * take the node's shared guest slots) while the consumer is paused but keeps polling. Then one Kafka transaction
 * (producer {@code transactional.id} {@code cidra-executor-jobs-<node id>}, {@code cidra-executor-pinned-jobs-<node
 * id>} for the pinned loop, so a restarted node fences its former self) carries the batch's terminal events and dead letters and commits the batch's offsets with the consumer's group
 * metadata. Any failure before that commit (a crash, an unreachable state bucket, an aborted transaction) makes the
 * batch's records run again; each execution's marker, written after its result was published and before the commit,
 * then stops it from running or publishing a second time and supplies the event to commit instead. Records of an
 * execution that already ran (the same job submitted twice) commit no second event; within one batch only the first
 * record of an execution runs.
 *
 * <p>An execution that fails for the node's infrastructure (the {@link JobRunner} throws: S3 or Kafka unreachable) is
 * attempted again on its worker, up to {@code cidra.jobs.max-infrastructure-attempts} times with a capped, jittered
 * exponential {@link Backoff} ({@code cidra.jobs.retry-backoff}, {@code cidra.jobs.retry-backoff-max}) between
 * attempts, while the batch waits; then the job's FAILED event, whose reason names the last cause and the attempts,
 * and the record's dead letter go in the batch's transaction like any outcome, and the partition moves on. The
 * attempts are counted in memory only: a node that crashes between them leaves the record uncommitted, and whichever
 * node gets it next starts counting again.
 *
 * <p>The window that remains: a crash after the result was published but before the marker was written runs the
 * execution again, which publishes again to the same key (the key depends only on the job, the execution, the node and
 * the submission time); no event ever named the first copy. {@link JobEvent.JobState#RUNNING} and
 * {@link JobEvent.JobState#PUBLISHING} events are sent outside the transaction by an idempotent producer, only for executions that have no marker yet; a redelivery may repeat one,
 * always before the execution's terminal event.
 *
 * <p>The {@link PollLoop}'s thread owns the consumer and the transactional producer; the idempotent producer is shared
 * by the workers.
 */
@Singleton
class JobConsumer {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    private final RecordDecoder decoder;
    private final JobRunner runner;
    private final ObjectMapper json;
    private final ExecutorConfig config;
    private final Guests guests;
    private final KafkaMeters kafkaMeters;
    private final RecordTracing tracing;
    private final PhaseTimers phases;
    private final Backoff backoff;
    private final ProvidedModules provided;
    private final List<KafkaProducer<byte[], byte[]>> transactions = new ArrayList<>(); // one per loop, its thread's
    private final List<PollLoop<List<ProducerRecord<byte[], byte[]>>>> loops = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> announcements;
    private ExecutorService workers;

    JobConsumer(
            RecordDecoder decoder,
            JobRunner runner,
            ObjectMapper json,
            ExecutorConfig config,
            Guests guests,
            KafkaMeters kafkaMeters,
            RecordTracing tracing,
            PhaseTimers phases,
            ProvidedModules provided) {
        this.decoder = decoder;
        this.runner = runner;
        this.json = json;
        this.config = config;
        this.guests = guests;
        this.kafkaMeters = kafkaMeters;
        this.tracing = tracing;
        this.phases = phases;
        this.provided = provided;
        var jobs = config.jobs();
        this.backoff = new Backoff(
                jobs.maxInfrastructureAttempts(), jobs.retryBackoff(), jobs.retryBackoffMax(), new Random());
    }

    /** After {@link RequestConsumer} has created the topics. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        var kafka = config.kafka();
        announcements = kafkaMeters.bind(Producers.create(
                kafka.connection(), "cidra-executor-job-announcements", kafka.requestTimeout(), Optional.empty()));
        workers = Executors.newFixedThreadPool(
                guests.concurrency(),
                Thread.ofPlatform().name("cidra-job-", 0).daemon(true).factory());
        String nodeId = guests.nodeId();
        startLoop(
                provided.jobsTopic(),
                provided.groupId(kafka.groupId()) + "-jobs",
                "cidra-executor-jobs-" + nodeId,
                "jobs",
                record -> true);
        startLoop(
                Topics.PINNED_JOBS,
                kafka.groupId() + "-pinned-" + nodeId,
                "cidra-executor-pinned-jobs-" + nodeId,
                "pinned-jobs",
                record -> nodeId.equals(header(record, Topics.NODE_ID)));
        LOG.infof(
                "consuming %s and %s with %d concurrent jobs",
                provided.jobsTopic(), Topics.PINNED_JOBS, guests.concurrency());
    }

    /** Starts the loop of one topic: its transactional producer, its consumer; runs the records {@code mine} takes. */
    private void startLoop(
            String topic,
            String groupId,
            String transactionalId,
            String role,
            Predicate<ConsumerRecord<byte[], byte[]>> mine) {
        var kafka = config.kafka();
        var producer = kafkaMeters.bind(Producers.create(
                kafka.connection(),
                "cidra-executor-" + role + "-events",
                kafka.requestTimeout(),
                Optional.of(transactionalId)));
        producer.initTransactions();
        transactions.add(producer);
        var consumer = kafkaMeters.bind(PollLoop.transactionalConsumer(
                kafka.connection(),
                "cidra-executor-" + role,
                groupId,
                guests.concurrency(),
                new GroupMembership(kafka, guests.nodeId()),
                role));
        loops.add(new PollLoop<>(
                        "cidra-" + role,
                        consumer,
                        topic,
                        records -> run(records, mine),
                        new TransactionalCommit(producer),
                        PollLoop.COMMITTED_OFFSETS)
                .start());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Why a loop ended other than by a shutdown; null while they run (or before they started). */
    String failure() {
        return loops.stream()
                .map(PollLoop::failure)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loops.isEmpty()) {
            return;
        }
        for (var loop : loops) {
            loop.stop();
        }
        workers.shutdownNow();
        announcements.close();
        transactions.forEach(KafkaProducer::close);
    }

    /**
     * Decodes every record {@code mine} takes on the loop thread and runs each execution's first record on the
     * workers; each outcome is a record to send in the batch's transaction, or none (a record not {@code mine} has
     * none).
     */
    private List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> run(
            ConsumerRecords<byte[], byte[]> records, Predicate<ConsumerRecord<byte[], byte[]>> mine) {
        var outcomes = new ArrayList<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>>();
        var executions = new HashSet<String>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!mine.test(record)) {
                outcomes.add(CompletableFuture.completedFuture(List.of()));
                continue;
            }
            JobRequest job;
            try {
                job = decoder.decode(record.value(), JobRequest.class);
            } catch (IllegalArgumentException e) {
                runner.countDeadLetter();
                outcomes.add(CompletableFuture.completedFuture(List.of(DeadLetter.of(record, e.getMessage()))));
                continue;
            }
            if (!executions.add(job.executionId())) {
                LOG.infof(
                        "record %s repeats execution %s of this batch; it does not run again",
                        DeadLetter.origin(record), job.executionId());
                outcomes.add(CompletableFuture.completedFuture(List.of()));
                continue;
            }
            String origin = DeadLetter.origin(record);
            outcomes.add(CompletableFuture.supplyAsync(() -> runTraced(record, job, origin), workers));
        }
        return outcomes;
    }

    /**
     * Runs one job on a worker, in the span of processing its record and with the job's ids in the log context; the
     * events it produces carry that span's trace context.
     */
    private List<ProducerRecord<byte[], byte[]>> runTraced(
            ConsumerRecord<byte[], byte[]> record, JobRequest job, String origin) {
        phases.recordQueue(PhaseTimers.Kind.JOB, record.timestamp());
        try (var step = tracing.process(record);
                var log = LogContext.job(job.jobId(), job.executionId())) {
            try {
                return attempt(record, job, origin);
            } catch (RuntimeException e) {
                step.fail(e);
                throw e;
            }
        }
    }

    /**
     * Attempts the execution until it returns, waiting {@link #backoff} between attempts that failed for the node's
     * infrastructure; after the last, the outcome is the job's FAILED event and the record's dead letter, both with
     * the reason. Nothing is committed between attempts, so a crash in between leaves the record to run again; the
     * execution's marker keeps that from running or publishing it twice.
     *
     * @throws IllegalStateException if interrupted (the node stops): the record must run again
     */
    private List<ProducerRecord<byte[], byte[]>> attempt(
            ConsumerRecord<byte[], byte[]> record, JobRequest job, String origin) {
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                return runner.run(job, origin, this::announce).map(this::eventRecord).stream()
                        .toList();
            } catch (RuntimeException e) {
                failure = e;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw failure;
            }
            if (attempt >= backoff.maxAttempts()) {
                String reason = "gave up after " + attempt + " attempts, each failed for the node's infrastructure,"
                        + " not for the job; the last: " + describe(failure);
                runner.countDeadLetter();
                return List.of(eventRecord(runner.gaveUp(job, reason)), DeadLetter.of(record, reason));
            }
            Duration wait = backoff.after(attempt);
            if (!S3Outage.isOutage(failure)) { // an outage is logged by the S3Outage, once per change
                LOG.warnf(
                        "attempt %d of %d failed (%s); again in %d ms",
                        attempt, backoff.maxAttempts(), describe(failure), wait.toMillis());
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted between attempts at " + origin, e);
            }
        }
    }

    private static String describe(RuntimeException failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /** Sends a RUNNING or PUBLISHING event and waits for Kafka's acknowledgement. */
    private void announce(JobEvent event) {
        try {
            announcements.send(eventRecord(event)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + Topics.JOB_EVENTS, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish to " + Topics.JOB_EVENTS + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The event's record, carrying the current trace context. */
    private ProducerRecord<byte[], byte[]> eventRecord(JobEvent event) {
        try {
            return tracing.inject(new ProducerRecord<>(
                    Topics.JOB_EVENTS, event.jobId().getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an event of job " + event.jobId(), e);
        }
    }
}
