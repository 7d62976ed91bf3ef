package dev.cidra.executor;

import dev.cidra.registry.Cid;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Times one invocation's phases on its invoking thread with the runtime's ticker: fetches made through it are summed
 * as the fetch phase, the rest of the time up to {@link #linked} is the link phase, and from there to {@link #ran} the
 * run phase. Not thread-safe: a link and its fetches run on the invoking thread.
 */
final class PhaseClock implements Function<Cid, byte[]> {
    private final Function<Cid, byte[]> modules;
    private final LongSupplier ticker;
    private final long start;
    private long fetchNanos;
    private long linkedAt = -1;
    private long ranAt = -1;

    PhaseClock(Function<Cid, byte[]> modules, LongSupplier ticker) {
        this.modules = modules;
        this.ticker = ticker;
        this.start = ticker.getAsLong();
    }

    @Override
    public byte[] apply(Cid cid) {
        long begin = ticker.getAsLong();
        try {
            return modules.apply(cid);
        } finally {
            fetchNanos += ticker.getAsLong() - begin;
        }
    }

    /** Ends the link phase; a later call keeps the first end. */
    void linked() {
        if (linkedAt < 0) {
            linkedAt = ticker.getAsLong();
        }
    }

    /** Ends the run phase (and the link phase, if it had not ended). */
    void ran() {
        linked();
        ranAt = ticker.getAsLong();
    }

    /** From the start to the last phase ended. */
    Duration total() {
        return Duration.ofNanos((ranAt < 0 ? linkedAt : ranAt) - start);
    }

    InvocationResult.Timing timing() {
        return new InvocationResult.Timing(
                Duration.ofNanos(fetchNanos),
                Duration.ofNanos(Math.max(0, linkedAt - start - fetchNanos)),
                Duration.ofNanos(ranAt < 0 ? 0 : ranAt - linkedAt));
    }
}
