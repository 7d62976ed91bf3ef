package dev.cidra.executor.service.jobs;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobEvent.JobState;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.ResultPath;
import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.Mount;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.PhaseTimers;
import dev.cidra.executor.service.execution.WorkDir;
import dev.cidra.executor.service.inputs.InputException;
import dev.cidra.executor.service.inputs.InputFetcher;
import dev.cidra.executor.service.publishing.JobResult;
import dev.cidra.executor.service.publishing.PublishException;
import dev.cidra.executor.service.publishing.ResultPublisher;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs one execution of a {@link JobRequest} and returns the terminal event to commit, or nothing when another record
 * of the same execution already ran it.
 *
 * <p>Per execution: if its {@linkplain ExecutionMarkers marker} exists, the execution ran before and nothing runs or is
 * published again; the marker's event is returned when it was written for the very same Kafka record (that record is
 * being redelivered, so its event was never committed), and nothing is returned for another record of the execution
 * (a duplicate submission, whose first record committed the event or will on its own redelivery). Otherwise:
 * {@link JobState#RUNNING} is announced, the inputs are fetched into a fresh work directory and mounted read-only, each
 * {@link ResultPath} is mounted as an empty writable directory, the guest runs in one of the node's guest slots,
 * {@link JobState#PUBLISHING} is announced and the result published (when the job has a publisher), the marker is
 * written, and the event is returned. The work directory is always deleted.
 *
 * <p>The terminal event is {@link JobState#COMPLETED} exactly when the guest exited with code 0 and the result, if the
 * job has a publisher, was published; otherwise {@link JobState#FAILED} with the reason. A job that fails before its
 * guest starts (an input, a CID, the module) publishes nothing and leaves no marker: running it again has no effect
 * but another identical FAILED event.
 *
 * <p>Failures of the node's own infrastructure (the state bucket, Kafka) are thrown, so that the record is consumed
 * again. Thread-safe; counts outcomes in {@value #OUTCOMES}, times executions in {@code cidra.job.duration} and their
 * fetch (inputs and module), link, run and publish phases in {@link PhaseTimers}, each phase but link in a span
 * ({@code cidra.fetch}, {@code cidra.run}, {@code cidra.publish}) under the current one, and logs each execution's
 * end.
 */
@Singleton
public class JobRunner {
    static final String OUTCOMES = "cidra.jobs";
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final Guests guests;
    private final InputFetcher inputs;
    private final ResultPublisher publisher;
    private final ExecutionMarkers markers;
    private final MeterRegistry meters;
    private final Timer duration;
    private final RecordTracing tracing;
    private final PhaseTimers phases;
    private final Path workRoot;
    private final long defaultDiskBytes;
    private final long maxDiskBytes;
    private final int eventOutputBytes;

    JobRunner(
            Guests guests,
            InputFetcher inputs,
            ResultPublisher publisher,
            ExecutionMarkers markers,
            ExecutorConfig config,
            MeterRegistry meters,
            RecordTracing tracing,
            PhaseTimers phases) {
        this.guests = guests;
        this.tracing = tracing;
        this.phases = phases;
        this.inputs = inputs;
        this.publisher = publisher;
        this.markers = markers;
        this.meters = meters;
        this.duration = Timer.builder("cidra.job.duration")
                .description("Wall-clock time of a job execution: inputs, run and publishing")
                .publishPercentileHistogram()
                .register(meters);
        var jobs = config.jobs();
        this.workRoot = jobs.workDir();
        this.defaultDiskBytes = jobs.defaultDiskBytes();
        this.maxDiskBytes = jobs.maxDiskBytes();
        this.eventOutputBytes = jobs.eventOutputBytes();
    }

    /**
     * @param origin where the job's record was read, {@code topic-partition@offset}
     * @param announce publishes the RUNNING and PUBLISHING events and returns once Kafka acknowledged each
     * @return the terminal event to commit, or empty when another record of this execution ran it
     * @throws RuntimeException if the state bucket cannot be read or written, or {@code announce} fails: the record
     *     must be consumed again
     */
    public Optional<JobEvent> run(JobRequest job, String origin, Consumer<JobEvent> announce) {
        var marker = markers.read(job.executionId());
        if (marker.isPresent()) {
            if (marker.get().origin().equals(origin)) {
                count("REDELIVERED");
                return Optional.of(marker.get().event());
            }
            count("DUPLICATE");
            return Optional.empty();
        }
        announce.accept(JobEvent.running(job.jobId(), job.executionId(), guests.nodeId(), Instant.now()));
        long start = System.nanoTime();
        JobEvent event;
        try (WorkDir dir = WorkDir.create(workRoot)) {
            event = execute(job, dir.path(), origin, announce);
        } catch (IOException e) {
            event = failed(job, "cannot create a work directory under " + workRoot + ": " + e);
        }
        var took = Duration.ofNanos(System.nanoTime() - start);
        duration.record(took);
        count(event.state().name());
        if (event.state() == JobState.COMPLETED) {
            LOG.infof("execution completed in %d ms", took.toMillis());
        } else {
            LOG.infof("execution failed in %d ms: %s", took.toMillis(), event.error());
        }
        return Optional.of(event);
    }

    /** Counts a job record that went to the dead-letter topic. */
    public void countDeadLetter() {
        count("DEAD_LETTER");
    }

    private JobEvent execute(JobRequest job, Path dir, String origin, Consumer<JobEvent> announce) {
        var budget = new DiskBudget(Math.min(maxDiskBytes, job.diskBytes() == 0 ? defaultDiskBytes : job.diskBytes()));
        Invocation.Builder invocation;
        try {
            invocation = Invocation.builder(ModuleRef.of(Cid.parse(job.moduleCid())));
            for (Map.Entry<String, String> entry : job.importModules().entrySet()) {
                invocation.importModule(entry.getKey(), ModuleRef.of(Cid.parse(entry.getValue())));
            }
        } catch (InvalidCidException e) {
            return failed(job, "moduleCid or importModules: " + e.getMessage());
        }
        var mounts = new ArrayList<Mount>();
        long fetching = System.nanoTime();
        try (var step = tracing.step("cidra.fetch")) {
            try {
                mounts.addAll(inputs.fetch(job.tenant(), job.inputs(), dir, budget));
            } catch (InputException | IllegalArgumentException e) {
                // IllegalArgumentException: a mount the engine refuses. The job can never run; failing it (rather
                // than letting the record be consumed again) keeps its partition moving.
                step.fail(e);
                return failed(job, e.getMessage());
            }
        }
        var inputFetch = Duration.ofNanos(System.nanoTime() - fetching);
        var directories = new LinkedHashMap<String, Path>();
        for (int i = 0; i < job.resultPaths().size(); i++) {
            ResultPath path = job.resultPaths().get(i);
            Path host = dir.resolve("results").resolve(Integer.toString(i));
            try {
                Files.createDirectories(host);
            } catch (IOException e) {
                return failed(job, "cannot create the directory of result path " + path.name() + ": " + e);
            }
            try {
                mounts.add(new Mount(host, path.path(), true));
            } catch (IllegalArgumentException e) {
                return failed(job, "result path " + path.name() + ": " + e.getMessage());
            }
            directories.put(path.name(), host);
        }
        mounts.forEach(invocation::mount);
        InvocationResult result;
        try (var step = tracing.step("cidra.run")) {
            result = guests.run(invocation
                    .entrypoint(job.entrypoint())
                    .args(job.args())
                    .env(job.env())
                    .stdin(new ByteArrayInputStream(new byte[0]))
                    .limits(guests.limits(job.memoryBytes(), Duration.ofMillis(job.timeoutMillis())))
                    .build());
            if (result.status() != InvocationResult.Status.EXITED) {
                step.fail(result.status() + ": " + result.error());
            }
        }
        phases.recordEngine(PhaseTimers.Kind.JOB, result.timing(), inputFetch);
        if (result.status() == InvocationResult.Status.REJECTED) {
            return failed(job, result.error());
        }
        String error =
                switch (result.status()) {
                    case EXITED -> result.exitCode() == 0 ? null : "the guest exited with code " + result.exitCode();
                    default -> result.error();
                };
        PublishedResult published = null;
        if (job.publisher() != null) {
            try {
                announce.accept(JobEvent.publishing(job.jobId(), job.executionId(), guests.nodeId(), Instant.now()));
            } catch (RuntimeException e) {
                // Only informational: the guest has run, and its result must still be published.
                LOG.warnf("the PUBLISHING event of job %s could not be sent: %s", job.jobId(), e.getMessage());
            }
            long publishing = System.nanoTime();
            try (var step = tracing.step("cidra.publish")) {
                try {
                    published = publisher.publish(
                            job,
                            guests.nodeId(),
                            new JobResult(directories, result.stdout(), result.stderr(), result.exitCode()),
                            dir,
                            budget);
                } catch (PublishException e) {
                    step.fail(e);
                    error = error == null ? e.getMessage() : error + "; " + e.getMessage();
                }
            }
            phases.record(
                    PhaseTimers.Kind.JOB, PhaseTimers.Phase.PUBLISH, Duration.ofNanos(System.nanoTime() - publishing));
        }
        var event = new JobEvent(
                job.jobId(),
                job.executionId(),
                guests.nodeId(),
                error == null ? JobState.COMPLETED : JobState.FAILED,
                Instant.now(),
                result.exitCode(),
                excerpt(result.stdout()),
                excerpt(result.stderr()),
                result.stdoutTruncated() || result.stdout().length > eventOutputBytes,
                result.stderrTruncated() || result.stderr().length > eventOutputBytes,
                error,
                published);
        markers.write(job.executionId(), event, origin);
        return event;
    }

    private String excerpt(byte[] output) {
        return new String(
                output.length > eventOutputBytes ? Arrays.copyOf(output, eventOutputBytes) : output,
                StandardCharsets.UTF_8);
    }

    private JobEvent failed(JobRequest job, String error) {
        return new JobEvent(
                job.jobId(),
                job.executionId(),
                guests.nodeId(),
                JobState.FAILED,
                Instant.now(),
                null,
                null,
                null,
                false,
                false,
                error,
                null);
    }

    private void count(String outcome) {
        meters.counter(OUTCOMES, "outcome", outcome).increment();
    }
}
