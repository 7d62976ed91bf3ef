package dev.cidra.gateway.verification;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.gateway.jobs.JobNotFoundException;
import dev.cidra.gateway.jobs.JobStatus;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.messaging.JobChannel;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.storage.JobRequests;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where a job's executions run, and re-execution checks. A job of {@code Count} 1 goes to any executor
 * ({@code cidra.jobs}); one of {@code Count} N runs as N executions ({@code <executionId>-1} to {@code -N}), each
 * pinned to one of N distinct live executors ({@link DistinctExecutors}) through {@code cidra.jobs.pinned}, and the
 * job's verdict compares their result CIDs. The request of every deterministic job is kept ({@link JobRequests}) so
 * that {@link #verify} can run it once more, as a new job, on an executor that did not run it. Thread-safe.
 */
@Singleton
public class Executions {
    private final DistinctExecutors executors;
    private final JobRequests requests;
    private final JobChannel channel;
    private final JobView view;
    private final Clock clock;

    Executions(DistinctExecutors executors, JobRequests requests, JobChannel channel, JobView view, Clock clock) {
        this.executors = executors;
        this.requests = requests;
        this.channel = channel;
        this.view = view;
        this.clock = clock;
    }

    /**
     * The executions of a job of {@code count} executions, each placed; the request of a deterministic job is kept.
     *
     * @throws NotEnoughExecutorsException if {@code count} is above 1 and fewer distinct executors are live
     * @throws dev.cidra.gateway.storage.StorageException if a deterministic job's request cannot be kept
     */
    public List<JobChannel.Placed> place(JobRequest request, int count) {
        List<JobChannel.Placed> placed;
        if (count == 1) {
            placed = List.of(new JobChannel.Placed(request, null));
        } else {
            List<String> nodes = executors.pick(request, count, Set.of(), "Count " + count);
            placed = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                placed.add(new JobChannel.Placed(
                        request.execution(
                                request.jobId(), request.executionId() + "-" + (i + 1), request.submittedAt()),
                        nodes.get(i)));
            }
        }
        if (request.deterministic() != null) {
            requests.keep(request);
        }
        return placed;
    }

    /**
     * A {@code verify} run: the new job that runs a finished job once more, on {@code nodeID}, and the result CID it
     * must publish to match.
     */
    @Schema(name = "Verification")
    public record Verification(String jobID, String verifies, String nodeID, String expectedCID) {}

    /**
     * Submits a finished deterministic job of the caller's once more, as a new job of the same tenant on a live
     * executor none of its executions ran on; its result CID is to be compared with {@code expectedCID}.
     *
     * @throws JobNotFoundException if the caller knows no such job
     * @throws JobNotVerifiableException if it has not ended, published no result CID, or is not deterministic
     * @throws NotEnoughExecutorsException if every live executor ran it already
     */
    public Verification verify(String jobId, Caller caller) {
        JobStatus job = view.find(jobId, caller).orElseThrow(() -> new JobNotFoundException(jobId));
        if (!job.state().terminal()) {
            throw new JobNotVerifiableException(
                    "job " + jobId + " is " + job.state().json() + "; verify it once it has ended");
        }
        if (job.result() == null || job.result().cid() == null) {
            throw new JobNotVerifiableException("job " + jobId + " published no result, so it has no result CID to"
                    + " compare; only a job with a Publisher can be verified");
        }
        JobRequest request = requests.find(jobId)
                .orElseThrow(() -> new JobNotVerifiableException("job " + jobId + " is not deterministic, so a rerun"
                        + " is not expected to match it; submit it with Tasks[0].Engine.Params.Deterministic: true"));
        Set<String> ran =
                job.executions().stream().map(JobStatus.Execution::nodeID).collect(Collectors.toSet());
        String node = executors.pick(request, 1, ran, "verifying job " + jobId).getFirst();
        UUID id = UUID.randomUUID();
        JobRequest rerun = request.execution("j-" + id, "e-" + id, clock.instant());
        JobEvent queued = JobEvent.queued(rerun);
        channel.submit(queued, List.of(new JobChannel.Placed(rerun, node)));
        view.apply(queued);
        return new Verification(rerun.jobId(), jobId, node, job.result().cid());
    }
}
