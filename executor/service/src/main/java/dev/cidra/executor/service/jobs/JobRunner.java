package dev.cidra.executor.service.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.JobCancellation;
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
import dev.cidra.executor.service.messaging.Cancellations;
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
import java.util.concurrent.CompletableFuture;
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
 * <p>Cancellation ({@link Cancellations}): a job cancelled before its execution starts does not start; one cancelled
 * while it fetches its inputs does not run; one cancelled while its guest runs has the guest stopped by the engine's
 * stop (the one its timeout uses) and publishes nothing; one cancelled while it publishes has what it published
 * withdrawn. Each ends {@link JobState#CANCELLED} with who cancelled it and when, and leaves no marker: a redelivery
 * of its record finds the cancellation again. Nothing starts before this node has read every cancellation there was
 * when it started.
 *
 * <p>Timeouts from the submission time ({@link JobRequest#submittedAt()}, against the injected {@link Clock}): an
 * execution that starts after its job's {@code QueueTimeout} or {@code TotalTimeout} fails with that reason without
 * running; a guest's timeout is its {@code ExecutionTimeout} or what the {@code TotalTimeout} leaves, whichever is
 * shorter, and a guest the latter stopped fails naming the {@code TotalTimeout}.
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
    private final Cancellations cancellations;
    private final Clock clock;

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
            Ticker ticker,
            Cancellations cancellations) {
        this.guestRun = guestRun;
        this.clock = clock;
        this.cancellations = cancellations;
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
        cancellations.requireCaughtUp();
        var cancelled = cancellations.of(job.jobId());
        if (cancelled.isPresent()) {
            count(MeterTag.of(JobState.CANCELLED));
            LOG.infof(
                    "execution not started: the job was cancelled by %s",
                    cancelled.get().by());
            return Optional.of(events.cancelled(job, cancelled.get()));
        }
        String late = lateStart(job);
        if (late != null) {
            count(MeterTag.of(JobState.FAILED));
            LOG.infof("execution not started: %s", late);
            return Optional.of(events.failed(job, late));
        }
        announce.accept(events.running(job));
        long start = ticker.read();
        JobEvent event;
        var stop = cancellations.watch(job);
        try (WorkDir dir = WorkDir.create(workRoot)) {
            event = execute(job, dir.path(), origin, announce, stop);
        } catch (IOException e) {
            event = events.failed(job, "cannot create a work directory under " + workRoot + ": " + e);
        } finally {
            cancellations.unwatch(job);
        }
        var took = Duration.ofNanos(ticker.read() - start);
        duration.record(took);
        count(MeterTag.of(event.state()));
        if (event.state() == JobState.COMPLETED) {
            LOG.infof("execution completed in %d ms", took.toMillis());
        } else if (event.state() == JobState.CANCELLED) {
            LOG.infof("execution cancelled by %s after %d ms", event.cancelledBy(), took.toMillis());
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

    /**
     * Why an execution starting now is too late, or null: the job's {@code QueueTimeout} or {@code TotalTimeout} has
     * passed since it was submitted.
     */
    private String lateStart(JobRequest job) {
        Duration queued = Duration.between(job.submittedAt(), clock.instant());
        if (job.queueTimeoutMillis() > 0 && queued.toMillis() >= job.queueTimeoutMillis()) {
            return "not started within its QueueTimeout of " + seconds(job.queueTimeoutMillis()) + " (queued for "
                    + seconds(queued.toMillis()) + ")";
        }
        if (job.totalTimeoutMillis() > 0 && queued.toMillis() >= job.totalTimeoutMillis()) {
            return "not started within its TotalTimeout of " + seconds(job.totalTimeoutMillis()) + " (queued for "
                    + seconds(queued.toMillis()) + ")";
        }
        return null;
    }

    /** The guest's time: its ExecutionTimeout, or what its TotalTimeout leaves of the time since submission. */
    private long guestTimeoutMillis(JobRequest job) {
        if (job.totalTimeoutMillis() == 0) {
            return job.timeoutMillis();
        }
        long left = job.totalTimeoutMillis()
                - Duration.between(job.submittedAt(), clock.instant()).toMillis();
        return Math.max(1, Math.min(job.timeoutMillis(), left));
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** The steps of one execution in its work directory: fetch and mount, run, publish, then the marker. */
    private JobEvent execute(
            JobRequest job,
            Path dir,
            String origin,
            Consumer<JobEvent> announce,
            CompletableFuture<JobCancellation> stop) {
        var budget = new DiskBudget(Math.min(maxDiskBytes, job.diskBytes() == 0 ? defaultDiskBytes : job.diskBytes()));
        JobMounts.Laid laid;
        InvocationResult result;
        long timeoutMillis;
        try {
            var linked = modules.resolve(job, dir, budget);
            laid = mounts.lay(job, dir, budget);
            if (stop.isDone()) {
                return events.cancelled(job, stop.join());
            }
            timeoutMillis = guestTimeoutMillis(job);
            result = run(job, linked, laid, budget, timeoutMillis, stop);
        } catch (JobFailed e) {
            return events.failed(job, e.getMessage());
        }
        if (result.status() == InvocationResult.Status.STOPPED || stop.isDone()) {
            return events.cancelled(job, stop.join());
        }
        String error = GuestRun.failure(result);
        if (result.status() == InvocationResult.Status.TIMED_OUT && timeoutMillis < job.timeoutMillis()) {
            error = "its TotalTimeout of " + seconds(job.totalTimeoutMillis()) + " passed (queued and running): "
                    + error;
        }
        PublishedResult published = null;
        if (job.publisher() != null) {
            var publication = new Publication(
                    job.jobId(), job.executionId(), nodeId, job.submittedAt(), job.publisher(), job.tenant());
            try {
                published = publish(job, publication, result, laid.results(), dir, budget, announce);
            } catch (PublishException e) {
                if (e.outage()) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                error = error == null ? e.getMessage() : error + "; " + e.getMessage();
            }
            if (stop.isDone()) {
                withdraw(publication, published);
                return events.cancelled(job, stop.join());
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
    private InvocationResult run(
            JobRequest job,
            GuestRun.Modules modules,
            JobMounts.Laid laid,
            DiskBudget budget,
            long timeoutMillis,
            CompletableFuture<JobCancellation> stop)
            throws JobFailed {
        var guest = new GuestRun.Guest(
                modules,
                job.entrypoint(),
                job.args(),
                job.env(),
                new byte[0],
                laid.mounts(),
                guestRun.limits(job.memoryBytes(), timeoutMillis).withDiskBytes(budget.remaining()),
                job.deterministic(),
                stop);
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
            Publication publication,
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
                        publication,
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

    /**
     * Removes what a cancelled execution published.
     *
     * @throws IllegalStateException if it cannot: the node's infrastructure, the execution is attempted again
     */
    private void withdraw(Publication publication, PublishedResult published) {
        try {
            publisher.withdraw(publication);
        } catch (PublishException e) {
            throw new IllegalStateException(
                    "cancelled while publishing, and " + e.getMessage()
                            + (published == null ? "" : " (published as " + published.key() + ")"),
                    e);
        }
    }

    private void count(String outcome) {
        meters.counter(OUTCOMES, "outcome", outcome).increment();
    }
}
