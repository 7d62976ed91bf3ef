package dev.cidra.executor.service.messaging;

import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.RecordTracing;
import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.PhaseTimers;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.time.Duration;

/**
 * Runs one {@link InvocationRequest} in one of the node's {@link Guests guest slots} and describes the outcome as an
 * {@link InvocationReply}. Never throws for a bad request: a CID that does not parse, or a module that cannot be
 * fetched or linked, is a {@code REJECTED} reply. Thread-safe; counts every outcome in {@code cidra.invocations},
 * times runs in {@code cidra.invocation.duration} and their fetch, link and run phases in {@link PhaseTimers}; the
 * guest runs in a {@code cidra.run} span.
 */
@Singleton
class RequestRunner {
    static final String OUTCOMES = "cidra.invocations";

    private final Guests guests;
    private final String nodeId;
    private final MeterRegistry meters;
    private final Timer duration;
    private final RecordTracing tracing;
    private final PhaseTimers phases;

    RequestRunner(Guests guests, MeterRegistry meters, RecordTracing tracing, PhaseTimers phases) {
        this.guests = guests;
        this.nodeId = guests.nodeId();
        this.meters = meters;
        this.tracing = tracing;
        this.phases = phases;
        this.duration = Timer.builder("cidra.invocation.duration")
                .description("Wall-clock time of an invocation, linking included")
                .publishPercentileHistogram()
                .register(meters);
    }

    InvocationReply run(InvocationRequest request) {
        Cid cid;
        try {
            cid = Cid.parse(request.moduleCid());
        } catch (InvalidCidException e) {
            count(InvocationReply.Status.REJECTED);
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
        var invocation = Invocation.builder(ModuleRef.of(cid))
                .entrypoint(request.entrypoint())
                .args(request.args())
                .env(request.env())
                .stdin(new ByteArrayInputStream(request.stdin()))
                .limits(guests.limits(request.memoryBytes(), Duration.ofMillis(request.timeoutMillis())))
                .build();
        InvocationResult result;
        try (var step = tracing.step("cidra.run")) {
            result = guests.run(invocation);
            if (result.status() != InvocationResult.Status.EXITED) {
                step.fail(result.status() + ": " + result.error());
            }
        }
        duration.record(result.duration());
        phases.recordEngine(PhaseTimers.Kind.INVOCATION, result.timing(), Duration.ZERO);
        var status = InvocationReply.Status.valueOf(result.status().name());
        count(status);
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

    /** Counts an outcome that is not a run: a request sent to the dead-letter topic. */
    void countDeadLetter() {
        meters.counter(OUTCOMES, "outcome", "DEAD_LETTER").increment();
    }

    private void count(InvocationReply.Status status) {
        meters.counter(OUTCOMES, "outcome", status.name()).increment();
    }
}
