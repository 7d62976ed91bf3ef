package dev.cidra.executor.service.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobEvent.JobState;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.MeterTag;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.RecordTracing;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.execution.GuestRun;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.PhaseTimers;
import dev.cidra.executor.service.execution.WorkDir;
import dev.cidra.executor.service.inputs.InputFetcher;
import dev.cidra.executor.service.publishing.JobResult;
import dev.cidra.executor.service.publishing.Publication;
import dev.cidra.executor.service.publishing.PublishException;
import dev.cidra.executor.service.publishing.ResultPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * {@link JobState#RUNNING} is announced, the modules given as sources ({@link JobModules}) and the inputs are fetched into a fresh work directory and mounted read-only, each
 * {@link dev.cidra.contract.ResultPath} is mounted as an empty writable directory ({@link JobMounts}), the guest runs in one of the node's guest slots,
 * {@link JobState#PUBLISHING} is announced and the result published (when the job has a publisher), the marker is
 * written, and the event is returned. The work directory is always deleted.
 *
 * <p>The terminal event is {@link JobState#COMPLETED} exactly when the guest exited with code 0 and the result, if the
 * job has a publisher, was published; otherwise {@link JobState#FAILED} with the reason. A job that fails before its
 * guest starts (an input, a CID, the module) publishes nothing and leaves no marker: running it again has no effect
 * but another identical FAILED event.
 *
 * <p>Failures of the node's own infrastructure (the state bucket, Kafka, S3 down for an input or the result) are
 * thrown, so that the caller attempts the execution again or {@linkplain #gaveUp gives up} on it. Thread-safe; counts outcomes in {@value #OUTCOMES} ({@link MeterTag} values), times executions in
 * {@code cidra.job.duration} and their fetch (inputs and module), link, run and publish phases in {@link PhaseTimers},
 * each phase but link in a span ({@code cidra.fetch}, {@code cidra.run}, {@code cidra.publish}) under the current
 * one, and logs each execution's end. Times come from the injected {@link Clock} (events) and {@link Ticker}
 * (durations).
 */
@Singleton
public class JobRunner {
    static final String OUTCOMES = "cidra.jobs";
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final GuestRun guestRun;
    private final JobMounts mounts;
    private final JobModules modules;
    private final ResultPublisher publisher;
    private final ExecutionMarkers markers;
    private final MeterRegistry meters;
    private final Timer duration;
    private final RecordTracing tracing;
    private final PhaseTimers phases;
    private final Ticker ticker;
    private final JobEvents events;
    private final String nodeId;
    private final Path workRoot;
    private final long defaultDiskBytes;
    private final long maxDiskBytes;

    JobRunner(
            GuestRun guestRun,
            Guests slots,
            JobMounts mounts,
            JobModules modules,
            ResultPublisher publisher,
            ExecutionMarkers markers,
            ExecutorConfig config,
            MeterRegistry meters,
            RecordTracing tracing,
            PhaseTimers phases,
            Clock clock,
            Ticker ticker) {
        this.guestRun = guestRun;
        this.tracing = tracing;
        this.phases = phases;
        this.mounts = mounts;
        this.modules = modules;
        this.publisher = publisher;
        this.markers = markers;
        this.meters = meters;
        this.ticker = ticker;
        this.duration = Timer.builder("cidra.job.duration")
                .description("Wall-clock time of a job execution: inputs, run and publishing")
                .publishPercentileHistogram()
                .register(meters);
        var jobs = config.jobs();
        this.nodeId = slots.nodeId();
        this.events = new JobEvents(nodeId, clock, jobs.eventOutputBytes());
        this.workRoot = jobs.workDir();
        this.defaultDiskBytes = jobs.defaultDiskBytes();
        this.maxDiskBytes = jobs.maxDiskBytes();
    }

    /**
     * @param origin where the job's record was read, {@code topic-partition@offset}
     * @param announce publishes the RUNNING and PUBLISHING events and returns once Kafka acknowledged each
     * @return the terminal event to commit, or empty when another record of this execution ran it
     * @throws RuntimeException if the state bucket cannot be read or written, {@code announce} fails, or S3 is down
     *     for an input or the result: the execution must be attempted again
     */
    public Optional<JobEvent> run(JobRequest job, String origin, Consumer<JobEvent> announce) {
        var marker = markers.read(job.executionId());
        if (marker.isPresent()) {
            if (marker.get().origin().equals(origin)) {
                count("redelivered");
                return Optional.of(marker.get().event());
            }
            count("duplicate");
            return Optional.empty();
        }
        announce.accept(events.running(job));
        long start = ticker.read();
        JobEvent event;
        try (WorkDir dir = WorkDir.create(workRoot)) {
            event = execute(job, dir.path(), origin, announce);
        } catch (IOException e) {
            event = events.failed(job, "cannot create a work directory under " + workRoot + ": " + e);
        }
        var took = Duration.ofNanos(ticker.read() - start);
        duration.record(took);
        count(MeterTag.of(event.state()));
        if (event.state() == JobState.COMPLETED) {
            LOG.infof("execution completed in %d ms", took.toMillis());
        } else {
            LOG.infof("execution failed in %d ms: %s", took.toMillis(), event.error());
        }
        return Optional.of(event);
    }

    /**
     * The terminal event of an execution given up on after {@code attempts} attempts that each failed for the node's
     * infrastructure ({@link #run} threw); counts it as failed. No marker is written: the state bucket may be what
     * failed.
     *
     * @param reason why the attempts failed, and how many there were
     */
    public JobEvent gaveUp(JobRequest job, String reason) {
        var event = events.failed(job, reason);
        count(MeterTag.of(event.state()));
        LOG.infof("execution failed: %s", reason);
        return event;
    }

    /** Counts a job record that went to the dead-letter topic. */
    public void countDeadLetter() {
        count("dead_letter");
    }

    /** The steps of one execution in its work directory: fetch and mount, run, publish, then the marker. */
    private JobEvent execute(JobRequest job, Path dir, String origin, Consumer<JobEvent> announce) {
        var budget = new DiskBudget(Math.min(maxDiskBytes, job.diskBytes() == 0 ? defaultDiskBytes : job.diskBytes()));
        JobMounts.Laid laid;
        InvocationResult result;
        try {
            var linked = modules.resolve(job, dir, budget);
            laid = mounts.lay(job, dir, budget);
            result = run(job, linked, laid, budget);
        } catch (JobFailed e) {
            return events.failed(job, e.getMessage());
        }
        String error = GuestRun.failure(result);
        PublishedResult published = null;
        if (job.publisher() != null) {
            try {
                published = publish(job, result, laid.results(), dir, budget, announce);
            } catch (PublishException e) {
                if (e.outage()) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                error = error == null ? e.getMessage() : error + "; " + e.getMessage();
            }
        }
        var event = events.ended(job, result, error, published);
        markers.write(job.executionId(), event, origin);
        return event;
    }

    /**
     * Runs the guest with no stdin; a module that was rejected fails the job like a missing input. What the inputs left
     * of the job's disk budget bounds what the guest may write, on each write.
     */
    private InvocationResult run(JobRequest job, GuestRun.Modules modules, JobMounts.Laid laid, DiskBudget budget)
            throws JobFailed {
        var guest = new GuestRun.Guest(
                modules,
                job.entrypoint(),
                job.args(),
                job.env(),
                new byte[0],
                laid.mounts(),
                guestRun.limits(job.memoryBytes(), job.timeoutMillis()).withDiskBytes(budget.remaining()),
                job.deterministic());
        InvocationResult result = guestRun.run(guest, PhaseTimers.Kind.JOB, laid.inputFetch());
        if (result.status() == InvocationResult.Status.REJECTED) {
            throw new JobFailed(
                    job.modules() != null && job.modules().entry() != null
                            ? "entry module "
                                    + InputFetcher.source(job.modules().entry()) + ": " + result.error()
                            : result.error());
        }
        return result;
    }

    /** Announces PUBLISHING (best effort), then publishes the result in a {@code cidra.publish} span. */
    private PublishedResult publish(
            JobRequest job,
            InvocationResult result,
            Map<String, Path> results,
            Path dir,
            DiskBudget budget,
            Consumer<JobEvent> announce)
            throws PublishException {
        try {
            announce.accept(events.publishing(job));
        } catch (RuntimeException e) {
            // Only informational: the guest has run, and its result must still be published.
            LOG.warnf("the PUBLISHING event of job %s could not be sent: %s", job.jobId(), e.getMessage());
        }
        long publishing = ticker.read();
        try (var step = tracing.step("cidra.publish")) {
            try {
                return publisher.publish(
                        new Publication(
                                job.jobId(),
                                job.executionId(),
                                nodeId,
                                job.submittedAt(),
                                job.publisher(),
                                job.tenant()),
                        new JobResult(results, result.stdout(), result.stderr(), result.exitCode()),
                        dir,
                        budget);
            } catch (PublishException e) {
                step.fail(e);
                throw e;
            }
        } finally {
            phases.record(
                    PhaseTimers.Kind.JOB, PhaseTimers.Phase.PUBLISH, Duration.ofNanos(ticker.read() - publishing));
        }
    }

    private void count(String outcome) {
        meters.counter(OUTCOMES, "outcome", outcome).increment();
    }
}
