package dev.cidra.gateway.jobs;

import dev.cidra.gateway.jobs.JobStatus.Execution;
import dev.cidra.gateway.jobs.JobStatus.Result;
import dev.cidra.gateway.jobs.JobStatus.State;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of a re-execution check: a job of {@code Count} executions on distinct executors ends once all of them
 * have, {@linkplain #verified() verified} when every one published a result and all results have one CID. Its state is
 * then that of the executions (completed when all completed, failed when all failed alike); an execution that
 * published nothing, or CIDs that differ, fail it unverified. Immutable.
 *
 * @param state the job's terminal state
 * @param verified whether all executions published the same result CID
 * @param result the first execution's result (when verified, every execution's has its CID)
 * @param detail which CIDs the executions published, on which nodes
 */
record Verdict(State state, boolean verified, Result result, String detail) {

    /** The verdict once {@code count} of the executions have ended; empty while some have not. */
    static Optional<Verdict> of(List<Execution> executions, int count) {
        List<Execution> ended =
                executions.stream().filter(e -> e.state().terminal()).toList();
        if (ended.size() < count) {
            return Optional.empty();
        }
        List<String> cids = ended.stream()
                .map(e -> e.result() == null ? null : e.result().cid())
                .toList();
        boolean agree = cids.stream().allMatch(Objects::nonNull)
                && cids.stream().distinct().count() == 1;
        Result first = ended.getFirst().result();
        if (agree) {
            boolean completed = ended.stream().allMatch(e -> e.state() == State.COMPLETED);
            boolean failed = ended.stream().allMatch(e -> e.state() == State.FAILED);
            String nodes = ended.stream().map(Execution::nodeID).collect(Collectors.joining(", "));
            String detail =
                    "the " + count + " executions (on " + nodes + ") published the same result, " + cids.getFirst();
            if (completed || failed) {
                return Optional.of(new Verdict(completed ? State.COMPLETED : State.FAILED, true, first, detail));
            }
            return Optional.of(new Verdict(State.FAILED, true, first, detail + ", but not all of them completed"));
        }
        String each = ended.stream()
                .map(e -> e.executionID() + " on " + e.nodeID() + " "
                        + (e.result() == null || e.result().cid() == null
                                ? "published no result" + (e.error() == null ? "" : " (" + e.error() + ")")
                                : "published " + e.result().cid()))
                .collect(Collectors.joining("; "));
        return Optional.of(new Verdict(State.FAILED, false, first, "the executions disagree: " + each));
    }
}
