package dev.cidra.gateway.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.JobEvent;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.security.Caller;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * This replica's view of every job: the {@link JobEvent}s of {@code cidra.job-events} folded per job
 * ({@link JobStatus#apply}), plus the replies of the synchronous calls this replica answered ({@code cidra.replies}),
 * which carry no job events of their own: a call answered in time is known by its reply while that is cached; a call
 * that timed out is queued as a job, and its late reply becomes the job's terminal event ({@link #asEvent}).
 *
 * <p>Bounded: at most {@code cidra.jobs.view-max-jobs} jobs (the least recently updated are dropped), and replies are
 * kept in a cache limited by {@code cidra.invocations.reply-cache-bytes} for {@code cidra.invocations.reply-cache-ttl},
 * so a reply that arrives before its job's queued event still counts. The first reply of a job wins; later ones change
 * nothing. Thread-safe: every update of a job is atomic.
 */
@Singleton
public class JobView {
    /** The bytes of stdout and of stderr a reply's excerpts keep. */
    static final int EXCERPT_BYTES = 4096;

    /** Bytes a cached reply is counted for besides its excerpts. */
    private static final int REPLY_OVERHEAD = 256;

    /**
     * A page of the jobs this replica knows, newest first.
     *
     * @param jobs the jobs, newest first
     * @param total how many jobs match the request in all; more than {@code jobs.size()} when the limit cut the list
     */
    @Schema(name = "JobList", description = "Jobs this gateway replica knows, newest first.")
    public record Listing(List<JobStatus> jobs, int total) {}

    /** Newest first: latest queued time (else last update) first, then the greater id. */
    private static final Comparator<JobStatus> NEWEST_FIRST = Comparator.comparing(
                    (JobStatus job) -> job.createdAt() != null ? job.createdAt() : job.updatedAt())
            .thenComparing(JobStatus::jobID)
            .reversed();

    private final Cache<String, JobStatus> jobs;
    private final Cache<String, JobEvent> replies;
    private final Clock clock;
    private final int maxWaitedJobs;

    /** The jobs callers wait on a change of ({@link #nextChange}), each with its next change and its waiters. */
    private final ConcurrentHashMap<String, Change> changes = new ConcurrentHashMap<>();

    /** A job's next change, and how many callers wait for it; guarded by its entry in {@link #changes}. */
    private static final class Change {
        final CompletableFuture<Void> happened = new CompletableFuture<>();
        int waiters;
    }

    JobView(GatewayConfig config, Clock clock, Ticker ticker, MeterRegistry meters) {
        var invocations = config.invocations();
        this.clock = clock;
        this.maxWaitedJobs = config.jobs().maxWaitedJobs();
        Gauge.builder("cidra.jobs.waited", changes, Map::size)
                .description("Jobs whose next change callers wait on (GET /v1/jobs/{id}?wait=...)")
                .register(meters);
        this.jobs = Caffeine.newBuilder()
                .maximumSize(config.jobs().viewMaxJobs())
                .executor(Runnable::run)
                .build();
        this.replies = Caffeine.newBuilder()
                .maximumWeight(invocations.replyCacheBytes())
                .<String, JobEvent>weigher((jobId, event) -> REPLY_OVERHEAD
                        + 2 * (event.stdout().length() + event.stderr().length()))
                .expireAfterWrite(invocations.replyCacheTtl())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** Folds a job event into its job (and the job's cached reply, if any). */
    public void apply(JobEvent event) {
        jobs.asMap().compute(event.jobId(), (id, job) -> {
            JobStatus after = JobStatus.apply(job, event);
            JobEvent reply = replies.getIfPresent(id);
            return reply == null ? after : JobStatus.apply(after, reply);
        });
        changed(event.jobId());
    }

    /** Forgets a job (its events were deleted from the topic). */
    public void remove(String jobId) {
        jobs.invalidate(jobId);
        changed(jobId);
    }

    /**
     * Completes, normally, at the job's next change in this view (an event, a reply, its removal) or after
     * {@code atMost}, whichever is first; at once when callers already wait on {@code cidra.jobs.max-waited-jobs}
     * other jobs. A caller registers before it reads the job, so a change between the two is not missed. Cancelling
     * the stage stops the wait. The stage completes on the thread that folds the change: what depends on it must not
     * block.
     */
    public CompletionStage<Void> nextChange(String jobId, Duration atMost) {
        if (changes.size() >= maxWaitedJobs && !changes.containsKey(jobId)) {
            return CompletableFuture.completedFuture(null);
        }
        Change change = changes.compute(jobId, (id, current) -> {
            Change next = current == null ? new Change() : current;
            next.waiters++;
            return next;
        });
        CompletableFuture<Void> wait = change.happened.copy();
        wait.completeOnTimeout(null, atMost.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((done, failure) -> changes.computeIfPresent(
                        jobId, (id, current) -> current == change && --current.waiters > 0 ? current : null));
        return wait;
    }

    /** How many jobs callers wait on a change of now. */
    public int waitedJobs() {
        return changes.size();
    }

    private void changed(String jobId) {
        Change change = changes.remove(jobId);
        if (change != null) {
            change.happened.complete(null);
        }
    }

    /**
     * Records the reply of a synchronous call, received now: it ends the call's job if the job is known, and is kept
     * for a job that becomes known later. A second reply for the same job changes nothing.
     */
    public void applyReply(InvocationReply reply) {
        JobEvent event = asEvent(reply);
        if (replies.asMap().putIfAbsent(reply.jobId(), event) != null) {
            return;
        }
        jobs.asMap().computeIfPresent(reply.jobId(), (id, job) -> JobStatus.apply(job, event));
        changed(reply.jobId());
    }

    /** Whether this replica knows the job from its events and it has not ended (for a call: it was queued). */
    public boolean waitsForItsEnd(String jobId) {
        JobStatus job = jobs.getIfPresent(jobId);
        return job != null && !job.state().terminal();
    }

    /**
     * The job, or empty when this replica does not know it. A synchronous call that got its reply in time has no job
     * events: it is known from its cached reply alone, as long as the reply is cached.
     */
    public Optional<JobStatus> find(String jobId) {
        JobStatus job = jobs.getIfPresent(jobId);
        if (job != null) {
            return Optional.of(job);
        }
        JobEvent reply = replies.getIfPresent(jobId);
        return reply == null ? Optional.empty() : Optional.of(JobStatus.apply(null, reply));
    }

    /**
     * The job, as {@link #find(String)}, if {@code caller} may see it: it is of the caller's tenant, or the caller is
     * an admin. Another tenant's job is as unknown as a job that does not exist.
     */
    public Optional<JobStatus> find(String jobId, Caller caller) {
        return find(jobId).filter(job -> caller.owns(job.tenant()));
    }

    /**
     * The results the platform keeps for a tenant, as this replica knows them at one instant.
     *
     * @param bytes the sum of their sizes
     * @param nextExpiry when the first of them expires; null when there are none
     */
    public record KeptResults(long bytes, Instant nextExpiry) {}

    /**
     * The {@code local} results of {@code tenant}'s jobs that have not expired at {@code now}: what the executors keep
     * on disk for it. Results in the tenant's own buckets are not counted.
     */
    public KeptResults keptResults(String tenant, Instant now) {
        long bytes = 0;
        Instant next = null;
        for (JobStatus job : jobs.asMap().values()) {
            JobStatus.Result result = job.result();
            if (result == null
                    || result.bytes() == null
                    || result.expiresAt() == null
                    || !result.expiresAt().isAfter(now)
                    || !tenant.equals(job.tenant())) {
                continue;
            }
            bytes += result.bytes();
            next = next == null || result.expiresAt().isBefore(next) ? result.expiresAt() : next;
        }
        return new KeptResults(bytes, next);
    }

    /** How many of {@code tenant}'s jobs this replica knows unfinished (queued, running or publishing). */
    public int unfinished(String tenant) {
        int count = 0;
        for (JobStatus job : jobs.asMap().values()) {
            if (!job.state().terminal() && tenant.equals(job.tenant())) {
                count++;
            }
        }
        return count;
    }

    /**
     * The jobs this replica knows from their events (not the synchronous calls answered in time, which are known by
     * their reply alone), newest first: by the time they were queued (the last update when that is unknown), ties by id.
     *
     * @param state only jobs in this state; null for all
     * @param tenant only jobs of this tenant; null for every tenant's
     * @param labels only jobs carrying each of these labels with its value; empty for all
     * @param limit at most this many, at least 1
     * @return the newest {@code limit} matching jobs, and how many match in all
     */
    public Listing list(JobStatus.State state, String tenant, Map<String, String> labels, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        var newest = new PriorityQueue<JobStatus>(NEWEST_FIRST.reversed());
        int matching = 0;
        for (JobStatus job : jobs.asMap().values()) {
            if ((state != null && job.state() != state)
                    || (tenant != null && !tenant.equals(job.tenant()))
                    || !job.hasLabels(labels)) {
                continue;
            }
            matching++;
            newest.add(job);
            if (newest.size() > limit) {
                newest.poll();
            }
        }
        var page = new ArrayList<>(newest);
        page.sort(NEWEST_FIRST);
        return new Listing(List.copyOf(page), matching);
    }

    /** A reply as the terminal event an executor would publish for it: completed only if the guest exited 0. */
    public JobEvent asEvent(InvocationReply reply) {
        boolean completed = reply.status() == InvocationReply.Status.EXITED && reply.exitCode() == 0;
        String error = reply.status() == InvocationReply.Status.EXITED
                ? (completed ? null : "the guest exited with code " + reply.exitCode())
                : reply.status() + ": " + reply.error();
        return new JobEvent(
                reply.jobId(),
                reply.executionId(),
                reply.nodeId(),
                completed ? JobEvent.JobState.COMPLETED : JobEvent.JobState.FAILED,
                clock.instant(),
                reply.exitCode(),
                excerpt(reply.stdout()),
                excerpt(reply.stderr()),
                reply.stdoutTruncated() || reply.stdout().length > EXCERPT_BYTES,
                reply.stderrTruncated() || reply.stderr().length > EXCERPT_BYTES,
                error,
                null);
    }

    /** The first {@value #EXCERPT_BYTES} bytes as UTF-8, malformed bytes replaced, a character cut at the end dropped. */
    static String excerpt(byte[] bytes) {
        int length = Math.min(bytes.length, EXCERPT_BYTES);
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(length);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        decoder.decode(in, out, length == bytes.length);
        if (length == bytes.length) {
            decoder.flush(out);
        }
        return out.flip().toString();
    }
}
