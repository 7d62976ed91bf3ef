package dev.cidra.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.contract.ApiKey;
import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobFinishedException;
import dev.cidra.gateway.jobs.JobNotFoundException;
import dev.cidra.gateway.jobs.JobStatus;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.messaging.JobChannel;
import dev.cidra.gateway.messaging.MessagingException;
import dev.cidra.gateway.security.AuthConfig;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.security.JobStorageRules;
import dev.cidra.gateway.security.QuotaConfig;
import dev.cidra.gateway.security.QuotaExceededException;
import dev.cidra.gateway.spec.CloudEvent;
import dev.cidra.gateway.spec.InvalidRequestException;
import dev.cidra.gateway.spec.JobSpecReader;
import dev.cidra.gateway.spec.SpecParser;
import dev.cidra.gateway.verification.Executions;
import dev.cidra.gateway.verification.NotEnoughExecutorsException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Accepts jobs, over HTTP or from {@link Topics#JOB_SUBMISSIONS}, and answers what is known of them. Counts
 * submissions in {@value #SUBMISSIONS}, tagged {@code outcome} ({@code accepted}, {@code invalid}, {@code unavailable},
 * {@code duplicate} for a Kafka submission of a job already known, and {@code over-quota}). Thread-safe.
 */
@Singleton
public class JobService {
    /** Counter of job submissions by outcome. */
    public static final String SUBMISSIONS = "cidra.gateway.job.submissions";

    /**
     * The transaction that handles a record of {@link Topics#JOB_SUBMISSIONS}: it publishes {@code records} and commits
     * the submission's offset, both or neither.
     */
    @FunctionalInterface
    public interface Transaction {
        /**
         * @return completes once the transaction is committed, or exceptionally once it was aborted (or not confirmed)
         */
        CompletionStage<Void> publish(List<ProducerRecord<byte[], byte[]>> records);
    }

    /** The largest job spec read, in bytes: what is published must fit a Kafka record (1 MiB by default). */
    static final int MAX_SPEC_BYTES = 256 * 1024;

    private final SpecParser parser;
    private final JobSpecReader reader;
    private final JobChannel channel;
    private final JobView view;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String kafkaTenant;
    private final JobStorageRules storage;
    private final long maxDiskBytes;
    private final OptionalInt concurrentJobs;
    private final QuotaConfig quotas;
    private final Executions executions;

    JobService(
            SpecParser parser,
            JobSpecReader reader,
            JobChannel channel,
            JobView view,
            Clock clock,
            MeterRegistry meters,
            AuthConfig auth,
            JobStorageRules storage,
            QuotaConfig quotas,
            Executions executions) {
        this.parser = parser;
        this.executions = executions;
        this.reader = reader;
        this.channel = channel;
        this.view = view;
        this.clock = clock;
        this.meters = meters;
        this.kafkaTenant = ApiKey.tenant(auth.kafkaSubmissionTenant());
        this.storage = storage;
        this.maxDiskBytes = quotas.maxDiskBytes();
        this.concurrentJobs = quotas.concurrentJobs();
        this.quotas = quotas;
    }

    /**
     * Reads a spec and submits the job it describes: its queued event and its request are both published, or neither.
     *
     * @param mediaType the body's media type, which tells YAML from JSON
     * @param tenant the tenant the job belongs to: the caller's
     * @return the published request
     * @throws InvalidRequestException if the spec is invalid or too large (nothing was published)
     * @throws QuotaExceededException if the tenant is at a quota (nothing was published)
     * @throws NotEnoughExecutorsException if its {@code Count} needs more distinct live executors than there are
     * @throws MessagingException if Kafka did not take the job (nothing was published, barring an unconfirmed commit)
     */
    public JobRequest submit(InputStream spec, String mediaType, String tenant) {
        JobRequest request;
        int count;
        try {
            var root = parse(SpecParser.read(spec, MAX_SPEC_BYTES, "the job spec"), SpecParser.isYaml(mediaType));
            request = allowed(read(root, UUID.randomUUID()).ownedBy(tenant));
            count = JobSpecReader.count(root);
        } catch (InvalidRequestException e) {
            count("invalid");
            throw e;
        }
        publish(request, count);
        return request;
    }

    /**
     * Reads a spec from a record of {@link Topics#JOB_SUBMISSIONS} and submits the job it describes as
     * {@link #submit(InputStream, String, String)} does, for the tenant {@link AuthConfig#kafkaSubmissionTenant()} (the
     * one whose principals Kafka's ACLs let write the topic), in {@code transaction}, which commits the record as consumed
     * too. The value is a JSON spec, or a CloudEvents 1.0 structured-mode JSON envelope whose {@code data} is one. The
     * job's id is derived from the tenant and the {@link Topics#JOB_ID} header, else the envelope's {@code id}, else the
     * record's position (see {@link Topics#JOB_SUBMISSIONS}), so the same submission always gets the same job (and
     * execution) id, and ids of different tenants never meet. The job's records are made before this returns, so they
     * carry the caller's trace context.
     *
     * @return completes with the published request once the transaction is committed, or exceptionally with the
     *     transaction's failure: nothing was published or committed, barring an unconfirmed commit
     * @throws InvalidRequestException if the value is invalid, or this replica already knows the job its id names
     *     (whatever the record's spec; also a record read again after its commit went unconfirmed): nothing was
     *     published or committed (the caller dead-letters the record); the message is the detail an HTTP submission of
     *     the same spec would get, or names the job that holds the id
     */
    public CompletionStage<JobRequest> submit(ConsumerRecord<byte[], byte[]> record, Transaction transaction) {
        JobRequest request;
        int count;
        try {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            var root = parse(SpecParser.read(new ByteArrayInputStream(value), MAX_SPEC_BYTES, "the job spec"), false);
            var envelope = CloudEvent.unwrap(root);
            Header idHeader = record.headers().lastHeader(Topics.JOB_ID);
            String name = idHeader != null && idHeader.value() != null
                    ? "id/" + new String(idHeader.value(), StandardCharsets.UTF_8)
                    : envelope.map(event -> "id/" + event.id())
                            .orElse("record/" + record.partition() + "@" + record.offset());
            var id = UUID.nameUUIDFromBytes(
                    (kafkaTenant + "/" + record.topic() + "/" + name).getBytes(StandardCharsets.UTF_8));
            JsonNode spec = envelope.map(CloudEvent::data).orElse(root);
            request = allowed(read(spec, id).ownedBy(kafkaTenant));
            count = JobSpecReader.count(spec);
        } catch (InvalidRequestException e) {
            count("invalid");
            throw e;
        }
        Optional<JobStatus> known = view.find(request.jobId());
        if (known.isPresent()) {
            count("duplicate");
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.JOB_SPEC,
                    "the submission's id " + request.jobId().substring(2) + " is taken: job " + request.jobId()
                            + " of tenant " + known.get().tenant() + " was submitted with it at "
                            + known.get().createdAt() + ", and one id makes one job");
        }
        JobEvent queued = JobEvent.queued(request, count);
        List<JobChannel.Placed> placed;
        try {
            placed = executions.place(request, count);
        } catch (NotEnoughExecutorsException e) {
            count("unavailable");
            throw new InvalidRequestException(InvalidRequestException.Kind.JOB_SPEC, e.getMessage());
        }
        return publish(transaction, channel.records(queued, placed), "accepted").thenApply(committed -> {
            view.apply(queued);
            return request;
        });
    }

    /** Runs the transaction, counting its outcome: {@code outcome} once committed, else {@code unavailable}. */
    private CompletionStage<Void> publish(
            Transaction transaction, List<ProducerRecord<byte[], byte[]>> records, String outcome) {
        CompletionStage<Void> committed;
        try {
            committed = transaction.publish(records);
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        return committed.whenComplete((done, failure) -> count(failure == null ? outcome : "unavailable"));
    }

    private JsonNode parse(byte[] spec, boolean isYaml) {
        return parser.parse(spec, isYaml, InvalidRequestException.Kind.JOB_SPEC, "a job");
    }

    /**
     * @throws InvalidRequestException if the job asks for more disk than allowed, or an S3 location it may not use
     * @throws QuotaExceededException if its tenant has {@code cidra.quotas.concurrent-jobs} unfinished jobs already,
     *     or the job would keep a {@code local} result while its tenant is at its {@code result-bytes} quota
     */
    private JobRequest allowed(JobRequest request) {
        if (request.diskBytes() > maxDiskBytes) {
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.JOB_SPEC,
                    "Tasks[0].Resources.Disk: " + request.diskBytes() + " bytes is more than the " + maxDiskBytes
                            + " bytes a job may use here (cidra.quotas.max-disk-bytes)");
        }
        var refusal = storage.refusal(request);
        if (refusal.isPresent()) {
            throw new InvalidRequestException(InvalidRequestException.Kind.JOB_SPEC, refusal.get());
        }
        if (concurrentJobs.isPresent()) {
            int unfinished = view.unfinished(request.tenant());
            if (unfinished >= concurrentJobs.getAsInt()) {
                count("over-quota");
                throw new QuotaExceededException("tenant " + request.tenant() + " has " + unfinished
                        + " unfinished jobs, the most it may have at once (cidra.quotas.concurrent-jobs: "
                        + concurrentJobs.getAsInt() + "); submit again once one has finished");
            }
        }
        OptionalLong resultBytes = quotas.resultBytes(request.tenant());
        if (resultBytes.isPresent()
                && request.publisher() != null
                && Publisher.LOCAL.equals(request.publisher().type())) {
            Instant now = clock.instant();
            JobView.KeptResults kept = view.keptResults(request.tenant(), now);
            if (kept.bytes() >= resultBytes.getAsLong()) {
                count("over-quota");
                String key = quotas.tenants().containsKey(request.tenant())
                                && quotas.tenants()
                                        .get(request.tenant())
                                        .resultBytes()
                                        .isPresent()
                        ? "cidra.quotas.tenants.\"" + request.tenant() + "\".result-bytes"
                        : "cidra.quotas.result-bytes";
                throw new QuotaExceededException(
                        "tenant " + request.tenant() + " keeps " + kept.bytes() + " bytes of local results, at or"
                                + " above the " + resultBytes.getAsLong() + " bytes it may keep (" + key + "); "
                                + (kept.nextExpiry() == null
                                        ? "publish this job's result to an S3 bucket instead"
                                        : "its first result expires at " + kept.nextExpiry()
                                                + ", or publish this job's result to an S3 bucket"),
                        kept.nextExpiry() == null
                                ? OptionalLong.empty()
                                : OptionalLong.of(Math.max(
                                        1,
                                        (Duration.between(now, kept.nextExpiry())
                                                                .toMillis()
                                                        + 999)
                                                / 1000)));
            }
        }
        return request;
    }

    private JobRequest read(JsonNode root, UUID id) {
        return reader.read(root, "j-" + id, "e-" + id, clock.instant());
    }

    /**
     * Publishes the job's {@code count} executions and folds its queued event into this replica's view, so that the
     * job is known here at once.
     *
     * @throws NotEnoughExecutorsException if fewer than {@code count} executors are live (nothing was published)
     */
    private void publish(JobRequest request, int count) {
        JobEvent queued = JobEvent.queued(request, count);
        try {
            channel.submit(queued, executions.place(request, count));
        } catch (MessagingException | NotEnoughExecutorsException e) {
            count("unavailable");
            throw e;
        }
        view.apply(queued);
        count("accepted");
    }

    /**
     * What this replica knows of a job of the caller's.
     *
     * @throws JobNotFoundException if it knows nothing of it, or the job is another tenant's
     */
    public JobStatus status(String jobId, Caller caller) {
        return view.find(jobId, caller).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    /**
     * What this replica knows of a job of the caller's once it is known and, unless it has ended, not in
     * {@code unlessIn}; or after {@code wait}, whichever is first. A long poll: a caller that shows a job's progress
     * learns of each change as it is folded, without polling.
     *
     * @param unlessIn the state the caller last saw; null to wait only while the job is unknown
     * @return completes with the job, or exceptionally with {@link JobNotFoundException} if it is still unknown (or
     *     another tenant's) after {@code wait}
     */
    public CompletionStage<JobStatus> status(String jobId, Caller caller, Duration wait, JobStatus.State unlessIn) {
        return status(jobId, caller, clock.instant().plus(wait), unlessIn);
    }

    private CompletionStage<JobStatus> status(String jobId, Caller caller, Instant until, JobStatus.State unlessIn) {
        Duration left = Duration.between(clock.instant(), until);
        CompletionStage<Void> change = left.isPositive() ? view.nextChange(jobId, left) : null;
        Optional<JobStatus> job = view.find(jobId, caller);
        boolean settled = job.isPresent()
                && (job.get().state() != unlessIn || job.get().state().terminal());
        // Done already: the job changed since the registration, or no more jobs may be waited on (answer at once).
        if (settled || change == null || change.toCompletableFuture().isDone()) {
            if (change != null) {
                change.toCompletableFuture().cancel(false);
            }
            return job.<CompletionStage<JobStatus>>map(CompletableFuture::completedFuture)
                    .orElseGet(() -> CompletableFuture.failedFuture(new JobNotFoundException(jobId)));
        }
        return change.thenCompose(changed -> status(jobId, caller, until, unlessIn));
    }

    /**
     * Cancels a job of the caller's that has not ended: publishes its cancellation, which every executor reads (a
     * queued job never starts, a running one is stopped, what it was publishing is withdrawn), with its cancelled
     * event, and folds that event into this replica's view.
     *
     * @return the job, cancelled
     * @throws JobNotFoundException if this replica knows nothing of it, or the job is another tenant's
     * @throws JobFinishedException if it has already ended
     * @throws MessagingException if Kafka did not take the cancellation
     */
    public JobStatus cancel(String jobId, Caller caller) {
        JobStatus job = status(jobId, caller);
        if (job.state().terminal()) {
            throw new JobFinishedException(jobId, job.state());
        }
        var cancellation = new JobCancellation(jobId, caller.name(), clock.instant());
        channel.cancel(cancellation);
        view.apply(JobEvent.cancelled(cancellation, null, null));
        return status(jobId, caller);
    }

    private void count(String outcome) {
        meters.counter(SUBMISSIONS, "outcome", outcome).increment();
    }
}
