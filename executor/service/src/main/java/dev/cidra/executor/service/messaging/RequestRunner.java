package dev.cidra.executor.service.messaging;

import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.MeterTag;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.service.execution.GuestRun;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.PhaseTimers;
import dev.cidra.registry.InvalidCidException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link InvocationRequest} as a {@link GuestRun} and describes the outcome as an {@link InvocationReply}.
 * Never throws for a bad request: a CID that does not parse, or a module that cannot be fetched or linked, is a
 * {@code REJECTED} reply. Never runs a request taken after its {@link InvocationRequest#replyBy()} (by the injected
 * clock): its caller has stopped waiting, so it gets an {@code EXPIRED} reply at once, and a backlog of such requests
 * (a dead executor's partitions handed over) costs no guest runs before the requests still awaited. Thread-safe; counts every outcome in {@code cidra.invocations} (tag {@code outcome}, the
 * status as a {@link MeterTag}), times runs in {@code cidra.invocation.duration} and their fetch, link and run phases in
 * {@link PhaseTimers}; the guest runs in a {@code cidra.run} span.
 */
@Singleton
class RequestRunner {
    static final String OUTCOMES = "cidra.invocations";

    private final GuestRun guestRun;
    private final String nodeId;
    private final MeterRegistry meters;
    private final Timer duration;

    private final Clock clock;

    RequestRunner(GuestRun guestRun, Guests guests, MeterRegistry meters, Clock clock) {
        this.guestRun = guestRun;
        this.clock = clock;
        this.nodeId = guests.nodeId();
        this.meters = meters;
        this.duration = Timer.builder("cidra.invocation.duration")
                .description("Wall-clock time of an invocation, linking included")
                .publishPercentileHistogram()
                .register(meters);
    }

    InvocationReply run(InvocationRequest request) {
        Instant now = clock.instant();
        if (request.expiredAt(now)) {
            count(MeterTag.of(InvocationReply.Status.EXPIRED));
            return InvocationReply.expired(request, nodeId, now);
        }
        GuestRun.Modules modules;
        try {
            modules = GuestRun.Modules.parse(request.moduleCid(), Map.of());
        } catch (InvalidCidException e) {
            count(MeterTag.of(InvocationReply.Status.REJECTED));
            return new InvocationReply(
                    request.jobId(),
                    request.executionKey(),
                    nodeId,
                    InvocationReply.Status.REJECTED,
                    InvocationResult.Status.REJECTED.exitCode(),
                    new byte[0],
                    new byte[0],
                    false,
                    false,
                    "moduleCid: " + e.getMessage(),
                    0);
        }
        var guest = new GuestRun.Guest(
                modules,
                request.entrypoint(),
                request.args(),
                request.env(),
                request.stdin(),
                List.of(),
                guestRun.limits(request.memoryBytes(), request.timeoutMillis()),
                request.deterministic(),
                null);
        InvocationResult result = guestRun.run(guest, PhaseTimers.Kind.INVOCATION, Duration.ZERO);
        duration.record(result.duration());
        var status = status(result.status());
        count(MeterTag.of(status));
        return new InvocationReply(
                request.jobId(),
                request.executionKey(),
                nodeId,
                status,
                result.exitCode(),
                result.stdout(),
                result.stderr(),
                result.stdoutTruncated(),
                result.stderrTruncated(),
                result.error(),
                result.duration().toNanos() / 1000);
    }

    /**
     * The reply's status for the engine's: the same outcome under the same name (the wire value and the meter tag).
     * The engine has no dependency on the contract, so the two enums stay two; this switch, exhaustive without a
     * default, stops compiling when the engine gains a status, and {@code ReplyStatusTest} fails when either side
     * gains or renames one. {@link InvocationResult.Status#STOPPED} has no reply status: only jobs are stopped (by a
     * cancellation), never a synchronous request.
     *
     * @throws IllegalArgumentException for {@link InvocationResult.Status#STOPPED}
     */
    static InvocationReply.Status status(InvocationResult.Status status) {
        return switch (status) {
            case EXITED -> InvocationReply.Status.EXITED;
            case TRAPPED -> InvocationReply.Status.TRAPPED;
            case TIMED_OUT -> InvocationReply.Status.TIMED_OUT;
            case REJECTED -> InvocationReply.Status.REJECTED;
            case STOPPED -> throw new IllegalArgumentException("a synchronous request is never stopped");
        };
    }

    /** Counts an outcome that is not a run: a request sent to the dead-letter topic. */
    void countDeadLetter() {
        count("dead_letter");
    }

    /**
     * Counts a run whose reply was too large to publish (already counted once by how it ended) and was replaced by its
     * {@link InvocationReply.Status#UNDELIVERABLE} stand-in.
     */
    void countUndeliverable() {
        count(MeterTag.of(InvocationReply.Status.UNDELIVERABLE));
    }

    private void count(String outcome) {
        meters.counter(OUTCOMES, "outcome", outcome).increment();
    }
}
