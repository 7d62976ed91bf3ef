package dev.cidra.gateway.service;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.gateway.jobs.JobNotFoundException;
import dev.cidra.gateway.jobs.JobStatus;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.messaging.JobChannel;
import dev.cidra.gateway.messaging.MessagingException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.UUID;

/**
 * Accepts jobs and answers what is known of them. Counts submissions in {@value #SUBMISSIONS}, tagged {@code outcome}
 * ({@code accepted}, {@code invalid}, {@code unavailable}). Thread-safe.
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

    JobService(JobSpecReader reader, JobChannel channel, JobView view, Clock clock, MeterRegistry meters) {
        this.reader = reader;
        this.channel = channel;
        this.view = view;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Reads a spec and submits the job it describes: its queued event and its request are both published, or neither.
     *
     * @param mediaType the body's media type, which tells YAML from JSON
     * @return the published request
     * @throws InvalidRequestException if the spec is invalid or too large (nothing was published)
     * @throws MessagingException if Kafka did not take the job (nothing was published, barring an unconfirmed commit)
     */
    public JobRequest submit(InputStream spec, String mediaType) {
        JobRequest request;
        try {
            var root = reader.parse(read(spec), JobSpecReader.isYaml(mediaType));
            String id = UUID.randomUUID().toString();
            request = reader.read(root, "j-" + id, "e-" + id, clock.instant());
        } catch (InvalidRequestException e) {
            count("invalid");
            throw e;
        }
        try {
            channel.submit(JobEvent.queued(request.jobId(), request.submittedAt()), request);
        } catch (MessagingException e) {
            count("unavailable");
            throw e;
        }
        count("accepted");
        return request;
    }

    /**
     * What this replica knows of a job.
     *
     * @throws JobNotFoundException if it knows nothing of it
     */
    public JobStatus status(String jobId) {
        return view.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    private static byte[] read(InputStream spec) {
        byte[] bytes;
        try {
            bytes = spec.readNBytes(MAX_SPEC_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job spec: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_SPEC_BYTES) {
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.BODY_TOO_LARGE,
                    "the job spec has more than " + MAX_SPEC_BYTES + " bytes, the limit");
        }
        return bytes;
    }

    private void count(String outcome) {
        meters.counter(SUBMISSIONS, "outcome", outcome).increment();
    }
}
