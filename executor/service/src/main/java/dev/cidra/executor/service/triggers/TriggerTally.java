package dev.cidra.executor.service.triggers;

import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Trigger;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node did with each trigger's records since it started, per trigger incarnation ({@link Trigger#id()}): the
 * counts its announcements carry ({@link NodeInfo#triggers()}) and the meters {@value #OUTCOMES} (tags
 * {@code trigger}, {@code outcome} {@code output}, {@code published} or {@code dead_letter}) and {@value #FAILED}.
 *
 * <p>A record counts when its run ends, before its batch commits: a batch that aborts and runs again counts its
 * records again, so the counts are runs finished, at least the records committed. Thread-safe, lock-free.
 */
@Singleton
public class TriggerTally {
    static final String OUTCOMES = "cidra.trigger.records";
    static final String FAILED = "cidra.trigger.failed-attempts";

    private final MeterRegistry meters;
    private final Map<String, Counts> byTrigger = new ConcurrentHashMap<>();

    TriggerTally(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A record whose run succeeded; {@code outcome} is {@code output} or {@code published}. */
    void succeeded(Trigger trigger, String outcome) {
        counts(trigger).succeeded.increment();
        meters.counter(OUTCOMES, "trigger", trigger.name(), "outcome", outcome).increment();
    }

    /** A record sent to the trigger's dead-letter topic. */
    void deadLettered(Trigger trigger) {
        counts(trigger).deadLettered.increment();
        meters.counter(OUTCOMES, "trigger", trigger.name(), "outcome", "dead_letter")
                .increment();
    }

    /** One failed run of a record (each retry counts). */
    void failedAttempt(Trigger trigger) {
        counts(trigger).failedAttempts.increment();
        meters.counter(FAILED, "trigger", trigger.name()).increment();
    }

    /** The counts now, by trigger id; a trigger this node never ran a record of is absent. */
    public Map<String, NodeInfo.TriggerCounts> snapshot() {
        var snapshot = new TreeMap<String, NodeInfo.TriggerCounts>();
        byTrigger.forEach((id, counts) -> snapshot.put(
                id,
                new NodeInfo.TriggerCounts(
                        counts.succeeded.sum(), counts.deadLettered.sum(), counts.failedAttempts.sum())));
        return snapshot;
    }

    private Counts counts(Trigger trigger) {
        return byTrigger.computeIfAbsent(trigger.id(), id -> new Counts());
    }

    private static final class Counts {
        final LongAdder succeeded = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
        final LongAdder failedAttempts = new LongAdder();
    }
}
