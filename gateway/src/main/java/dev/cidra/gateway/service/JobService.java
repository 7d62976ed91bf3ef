package dev.cidra.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.contract.ApiKey;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobNotFoundException;
import dev.cidra.gateway.jobs.JobStatus;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.messaging.JobChannel;
import dev.cidra.gateway.messaging.MessagingException;
import dev.cidra.gateway.security.AuthConfig;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.security.JobStorageRules;
import dev.cidra.gateway.security.QuotaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Accepts jobs, over HTTP or from {@link Topics#JOB_SUBMISSIONS}, and answers what is known of them. Counts
 * submissions in {@value #SUBMISSIONS}, tagged {@code outcome} ({@code accepted}, {@code invalid}, {@code unavailable},
 * and {@code duplicate} for a Kafka submission of a job already known). Thread-safe.
 */
@Singleton
public class JobService {
    /** Counter of job submissions by outcome. */
    public static final String SUBMISSIONS = "cidra.gateway.job.submissions";

    /** The largest job spec read, in bytes: what is published must fit a Kafka record (1 MiB by default). */
    static final int MAX_SPEC_BYTES = 256 * 1024;

    private final JobSpecReader reader;
    private final JobChannel channel;
    private final JobView view;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String kafkaTenant;
    private final JobStorageRules storage;
    private final long maxDiskBytes;

    JobService(
            JobSpecReader reader,
            JobChannel channel,
            JobView view,
            Clock clock,
            MeterRegistry meters,
            AuthConfig auth,
            JobStorageRules storage,
            QuotaConfig quotas) {
        this.reader = reader;
        this.channel = channel;
        this.view = view;
        this.clock = clock;
        this.meters = meters;
        this.kafkaTenant = ApiKey.tenant(auth.kafkaSubmissionTenant());
        this.storage = storage;
        this.maxDiskBytes = quotas.maxDiskBytes();
    }

    /**
     * Reads a spec and submits the job it describes: its queued event and its request are both published, or neither.
     *
     * @param mediaType the body's media type, which tells YAML from JSON
     * @param tenant the tenant the job belongs to: the caller's
     * @return the published request
     * @throws InvalidRequestException if the spec is invalid or too large (nothing was published)
     * @throws MessagingException if Kafka did not take the job (nothing was published, barring an unconfirmed commit)
     */
    public JobRequest submit(InputStream spec, String mediaType, String tenant) {
        JobRequest request;
        try {
            var root = reader.parse(read(spec, MAX_SPEC_BYTES, "the job spec"), JobSpecReader.isYaml(mediaType));
            request = allowed(read(root, UUID.randomUUID()).ownedBy(tenant));
        } catch (InvalidRequestException e) {
            count("invalid");
            throw e;
        }
        publish(request, null);
        return request;
    }

    /**
     * Reads a spec from a record of {@link Topics#JOB_SUBMISSIONS} and submits the job it describes as
     * {@link #submit(InputStream, String, String)} does, for the tenant {@link AuthConfig#kafkaSubmissionTenant()}, committing the record as consumed in the same transaction. The value
     * is a JSON spec, or a CloudEvents 1.0 structured-mode JSON envelope whose {@code data} is one. The job's id is
     * derived from the {@link Topics#JOB_ID} header, else the envelope's {@code id}, else the record's position (see
     * {@link Topics#JOB_SUBMISSIONS}), so the same submission always gets the same job (and execution) id. When this
     * replica already knows that job (whatever the record's spec), nothing is published and the record is only committed.
     *
     * @return the published request, or empty if the job was known already
     * @throws InvalidRequestException if the value is invalid: nothing was published or committed (the caller
     *     dead-letters the record); the message is the detail an HTTP submission of the same spec would get
     * @throws MessagingException if Kafka did not take the job: nothing was published or committed, barring an
     *     unconfirmed commit
     */
    public Optional<JobRequest> submit(JobChannel.Consumed consumed) {
        ConsumerRecord<byte[], byte[]> record = consumed.record();
        JobRequest request;
        try {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            var root = reader.parse(read(new ByteArrayInputStream(value), MAX_SPEC_BYTES, "the job spec"), false);
            var envelope = CloudEvent.unwrap(root);
            String idHeader = consumed.header(Topics.JOB_ID);
            String name = idHeader != null
                    ? "id/" + idHeader
                    : envelope.map(event -> "id/" + event.id())
                            .orElse("record/" + record.partition() + "@" + record.offset());
            var id = UUID.nameUUIDFromBytes((record.topic() + "/" + name).getBytes(StandardCharsets.UTF_8));
            request = allowed(
                    read(envelope.map(CloudEvent::data).orElse(root), id).ownedBy(kafkaTenant));
        } catch (InvalidRequestException e) {
            count("invalid");
            throw e;
        }
        if (view.find(request.jobId()).isPresent()) {
            channel.commit(consumed);
            count("duplicate");
            return Optional.empty();
        }
        publish(request, consumed);
        return Optional.of(request);
    }

    /** @throws InvalidRequestException if the job asks for more disk than allowed, or an S3 location it may not use */
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
        return request;
    }

    private JobRequest read(JsonNode root, UUID id) {
        return reader.read(root, "j-" + id, "e-" + id, clock.instant());
    }

    private void publish(JobRequest request, JobChannel.Consumed consumed) {
        try {
            channel.submit(
                    JobEvent.queued(request.jobId(), request.submittedAt(), request.tenant()), request, consumed);
        } catch (MessagingException e) {
            count("unavailable");
            throw e;
        }
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
     * Reads a request body of at most {@code max} bytes.
     *
     * @param what names the body in messages, e.g. "the job spec"
     * @throws InvalidRequestException if it has more
     */
    static byte[] read(InputStream body, int max, String what) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + ": " + e.getMessage(), e);
        }
        if (bytes.length > max) {
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.BODY_TOO_LARGE, what + " has more than " + max + " bytes, the limit");
        }
        return bytes;
    }

    private void count(String outcome) {
        meters.counter(SUBMISSIONS, "outcome", outcome).increment();
    }
}
