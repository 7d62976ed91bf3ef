package dev.cidra.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.PublishedResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What is known of a job, folded from its {@link JobEvent}s by {@link #apply}. Immutable.
 *
 * @param jobID the job
 * @param tenant the tenant it belongs to, from its queued event; null when that event was not seen (only admins see
 *     such a job)
 * @param state the job's state: it only moves forward (queued, running, publishing, then completed, failed or
 *     cancelled), and a terminal state is final
 * @param createdAt when the job was queued; null when its queued event was not seen (compacted away)
 * @param updatedAt the time of the last event that changed it
 * @param executions its executions, in the order they were first seen
 * @param result where the terminal execution published its result; null if nothing was published (yet)
 * @param labels the spec's {@code Labels}, from its queued event; null when it has none or that event was not seen
 * @param meta the spec's {@code Meta}, from its queued event; null when it has none or that event was not seen
 * @param count how many executions on distinct executors the job compares (the spec's {@code Count}), from its
 *     queued event; null when it runs once (or that event was not seen)
 * @param verified a job of {@code count} executions, once all have ended: whether they all published the same result
 *     CID; null otherwise
 * @param verdict a job of {@code count} executions, once all have ended: which CIDs the executions published, on
 *     which nodes; null otherwise
 * @param cancelled who cancelled the job and when; null unless it is cancelled
 */
@Schema(name = "Job", description = "A job's state, executions and published result.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        String jobID,
        String tenant,
        State state,
        Instant createdAt,
        Instant updatedAt,
        List<Execution> executions,

        @Schema(description = "where the result was published (Bacalhau's result spec)")
        Result result,

        @Schema(description = "the job spec's Labels") java.util.Map<String, String> labels,
        @Schema(description = "the job spec's Meta") java.util.Map<String, String> meta,

        @Schema(
                description = "how many executions on distinct executors the job compares (its spec's Count);"
                        + " absent when it runs once")
        Integer count,

        @Schema(
                description = "whether all of the job's Count executions published the same result CID; absent until"
                        + " they have all ended, and for a job that runs once")
        Boolean verified,

        @Schema(description = "the executions' result CIDs and nodes, once all of the Count executions have ended")
        String verdict,

        @Schema(description = "who cancelled the job and when; absent unless it is cancelled")
        Cancelled cancelled) {

    /** A job's cancellation: who (the caller's key name) and when. */
    @Schema(name = "JobCancelled")
    public record Cancelled(String by, Instant at) {}

    /** A job's or an execution's state, lower-case in JSON. */
    @Schema(enumeration = {"queued", "running", "publishing", "completed", "failed", "cancelled"})
    public enum State {
        QUEUED,
        RUNNING,
        PUBLISHING,
        COMPLETED,
        FAILED,
        CANCELLED;

        static State of(JobEvent.JobState state) {
            return valueOf(state.name());
        }

        /** Whether nothing changes a job (or an execution) in this state any more. */
        public boolean terminal() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One run of the job. */
    @Schema(name = "Execution")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Execution(
            String executionID,
            String nodeID,
            State state,

            @Schema(description = "the guest's exit code (124 timed out, 134 trapped); absent until it ends")
            Integer exitCode,

            @Schema(description = "the start of the guest's stdout (UTF-8)")
            String stdout,

            boolean stdoutTruncated,

            @Schema(description = "the start of the guest's stderr (UTF-8)")
            String stderr,

            boolean stderrTruncated,

            @Schema(description = "why the execution failed")
            String error,

            Instant startedAt,
            Instant endedAt,

            @Schema(description = "where this execution published its result; absent until it has")
            Result result) {}

    /** Bacalhau's result spec; the fields the publisher type does not use are absent. */
    @Schema(name = "PublishedResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            @JsonProperty("Type") String type,
            @JsonProperty("Bucket") String bucket,
            @JsonProperty("Key") String key,
            @JsonProperty("Region") String region,
            @JsonProperty("Endpoint") String endpoint,
            @JsonProperty("VersionID") String versionId,
            @JsonProperty("ChecksumSHA256") String checksumSha256,
            @JsonProperty("URL") String url,

            @Schema(description = "UnixFS CIDv1 of the result directory, as `ipfs add -r --cid-version=1` prints it")
            @JsonProperty("CID")
            String cid,

            @Schema(description = "local: the archive's size in bytes, counted against the tenant's result quota")
            @JsonProperty("Bytes")
            Long bytes,

            @Schema(description = "local: when the executor deletes the archive; absent: kept until deleted")
            @JsonProperty("ExpiresAt")
            Instant expiresAt) {

        static Result of(PublishedResult result) {
            return result == null
                    ? null
                    : new Result(
                            result.type(),
                            result.bucket(),
                            result.key(),
                            result.region(),
                            result.endpoint(),
                            result.versionId(),
                            result.checksumSha256(),
                            result.url(),
                            result.cid(),
                            result.bytes(),
                            result.expiresAt());
        }

        /** The contract's form of this result. */
        public PublishedResult published() {
            return new PublishedResult(
                    type, bucket, key, region, endpoint, versionId, checksumSha256, url, cid, bytes, expiresAt);
        }
    }

    /**
     * The job after {@code event}: {@code job} itself when the event changes nothing (the job is terminal, or the event
     * would move its state back). Deterministic, so replaying events in their partition order gives the same view on
     * every replica.
     *
     * @param job the job before the event; null if unknown
     */
    static JobStatus apply(JobStatus job, JobEvent event) {
        State state = State.of(event.state());
        boolean stoppedExecution = state == State.CANCELLED && event.executionId() != null;
        if (job != null && job.state.terminal() && !(job.state == State.CANCELLED && stoppedExecution)) {
            return job; // but the execution a cancellation stopped still ends cancelled
        }
        if (state == State.QUEUED) {
            return job != null
                    ? job
                    : new JobStatus(
                            event.jobId(),
                            event.tenant(),
                            State.QUEUED,
                            event.time(),
                            event.time(),
                            List.of(),
                            null,
                            event.labels(),
                            event.meta(),
                            event.executions(),
                            null,
                            null,
                            null);
        }
        Cancelled cancelled = state == State.CANCELLED ? new Cancelled(event.cancelledBy(), event.time()) : null;
        if (state == State.CANCELLED && event.executionId() == null) { // the gateway's: no execution ended
            return new JobStatus(
                    event.jobId(),
                    job == null ? null : job.tenant,
                    State.CANCELLED,
                    job == null ? null : job.createdAt,
                    event.time(),
                    job == null ? List.of() : job.executions,
                    null,
                    job == null ? null : job.labels,
                    job == null ? null : job.meta,
                    job == null ? null : job.count,
                    null,
                    null,
                    cancelled);
        }
        var executions = new ArrayList<Execution>(job == null ? List.of() : job.executions);
        int index = -1;
        for (int i = 0; i < executions.size(); i++) {
            if (executions.get(i).executionID().equals(event.executionId())) {
                index = i;
            }
        }
        Execution before = index < 0 ? null : executions.get(index);
        Execution after = state.terminal()
                ? new Execution(
                        event.executionId(),
                        event.nodeId(),
                        state,
                        event.exitCode(),
                        event.stdout(),
                        event.stdoutTruncated(),
                        event.stderr(),
                        event.stderrTruncated(),
                        event.error(),
                        before == null ? null : before.startedAt(),
                        event.time(),
                        Result.of(event.result()))
                : new Execution(
                        event.executionId(),
                        event.nodeId(),
                        state,
                        null,
                        null,
                        false,
                        null,
                        false,
                        null,
                        state == State.PUBLISHING && before != null ? before.startedAt() : event.time(),
                        null,
                        null);
        if (before != null && (before.state().terminal() || state.compareTo(before.state()) < 0)) {
            return job; // this execution already ended, or got further: its late events change nothing
        }
        if (index < 0) {
            executions.add(after);
        } else {
            executions.set(index, after);
        }
        Integer count = job == null ? null : job.count;
        if (count == null) {
            return new JobStatus(
                    event.jobId(),
                    job == null ? null : job.tenant,
                    state, // RUNNING, PUBLISHING or terminal: never behind a non-terminal job's state
                    job == null ? null : job.createdAt,
                    event.time(),
                    List.copyOf(executions),
                    state.terminal() ? Result.of(event.result()) : null,
                    job == null ? null : job.labels,
                    job == null ? null : job.meta,
                    null,
                    null,
                    null,
                    cancelled);
        }
        var verdict = Verdict.of(executions, count);
        return new JobStatus(
                event.jobId(),
                job.tenant,
                verdict.map(Verdict::state).orElse(State.RUNNING), // until the last of its executions has ended
                job.createdAt,
                event.time(),
                List.copyOf(executions),
                verdict.map(Verdict::result).orElse(null),
                job.labels,
                job.meta,
                count,
                verdict.map(Verdict::verified).orElse(null),
                verdict.map(Verdict::detail).orElse(null),
                cancelled);
    }

    /** Whether the job carries every label of {@code labels} with the same value. */
    public boolean hasLabels(java.util.Map<String, String> labels) {
        return labels.entrySet().stream()
                .allMatch(label -> this.labels != null && label.getValue().equals(this.labels.get(label.getKey())));
    }
}
