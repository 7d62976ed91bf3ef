package dev.cidra.executor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;

/**
 * Contexts instantiated ahead of the invocations that will use them, per hot linked module, so that a hot call skips
 * building its context and instantiating its module (for a module with megabytes of data segments, most of a call).
 *
 * <p>Guarantees: a pooled context is handed to one invocation only ({@link #take} removes it) and was never entered by
 * guest code before (a module with a start function is never pooled, so instantiation runs no guest code). A module
 * is pooled only from its {@value #HOT_AFTER}th invocation on: a module called once costs nothing but a counter.
 * Contexts are filled on one background thread, never on the call path. The pooled contexts' memory (each module's
 * initial memory plus {@value #CONTEXT_OVERHEAD} bytes per context) stays within the pool's byte bound: a module that
 * needs room takes it from the module used least recently. A linked module evicted from the runtime's cache has its
 * contexts closed ({@link #discard}).
 */
final class ContextPool implements AutoCloseable {
    /** The invocation of a linked module from which on it gets pooled contexts. */
    static final int HOT_AFTER = 2;
    /** Bytes charged per pooled context on top of its modules' initial memories: a context's own heap, about. */
    static final long CONTEXT_OVERHEAD = 64 << 10;

    private final Engine engine;
    private final int perModule;
    private final long maxBytes;
    private final LongSupplier ticker;
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final Set<Slot> filled = ConcurrentHashMap.newKeySet();
    private final ExecutorService filler;

    /** One linked module's pool: empty until the module is hot. Created with the {@link LinkedModule}. */
    static final class Slot {
        private final long weight;
        private final ConcurrentLinkedQueue<PreparedContext> ready = new ConcurrentLinkedQueue<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicLong lastUsed = new AtomicLong();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean closed;

        /**
         * @param weight the bytes one pooled context of the module is charged
         * @param poolable false for a module graph with a start function (instantiating it runs guest code)
         */
        Slot(long weight, boolean poolable) {
            this.weight = weight;
            this.closed = new AtomicBoolean(!poolable);
        }
    }

    /**
     * @param perModule contexts kept ready per hot module; 0 turns pooling off
     * @param maxBytes bound of all pooled contexts' charged bytes
     */
    ContextPool(Engine engine, int perModule, long maxBytes, LongSupplier ticker) {
        this.engine = engine;
        this.perModule = perModule;
        this.maxBytes = maxBytes;
        this.ticker = ticker;
        this.filler = Executors.newSingleThreadExecutor(r -> {
            var thread = new Thread(r, "cidra-wasm-context-pool");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A never-used context with {@code module} instantiated in it, or null when none is ready (the caller builds its
     * own). Counts the call towards the module's hotness and, once it is hot, refills its pool in the background.
     */
    PreparedContext take(LinkedModule module) {
        Slot slot = module.pool();
        if (perModule == 0 || slot.closed.get()) {
            misses.increment();
            return null;
        }
        slot.lastUsed.set(ticker.getAsLong());
        PreparedContext context = slot.ready.poll();
        if (context != null) {
            bytes.addAndGet(-slot.weight);
            hits.increment();
        } else {
            misses.increment();
        }
        if (slot.calls.get() >= HOT_AFTER || slot.calls.incrementAndGet() >= HOT_AFTER) {
            refill(module, slot);
        }
        return context;
    }

    private void refill(LinkedModule module, Slot slot) {
        if (slot.ready.size() < perModule && slot.scheduled.compareAndSet(false, true)) {
            try {
                filler.execute(() -> fill(module, slot));
            } catch (RejectedExecutionException closed) {
                slot.scheduled.set(false);
            }
        }
    }

    private void fill(LinkedModule module, Slot slot) {
        try {
            while (!slot.closed.get() && slot.ready.size() < perModule && reserve(slot)) {
                var context = new PreparedContext(engine);
                try {
                    context.instantiate(module);
                } catch (PolyglotException | IllegalArgumentException | IllegalStateException e) {
                    // The call path instantiates it too and reports why; pooling it is pointless.
                    slot.closed.set(true);
                    close(context);
                    bytes.addAndGet(-slot.weight);
                    return;
                }
                slot.ready.add(context);
                filled.add(slot);
                if (slot.closed.get()) {
                    drain(slot);
                }
            }
        } finally {
            slot.scheduled.set(false);
        }
    }

    /** Charges one context of {@code slot}, closing contexts of less recently used modules when the bound is reached. */
    private boolean reserve(Slot slot) {
        while (true) {
            long now = bytes.get();
            if (now + slot.weight <= maxBytes) {
                if (bytes.compareAndSet(now, now + slot.weight)) {
                    return true;
                }
                continue;
            }
            Slot victim = null;
            for (Slot other : filled) {
                if (other != slot
                        && !other.ready.isEmpty()
                        && other.lastUsed.get() < slot.lastUsed.get()
                        && (victim == null || other.lastUsed.get() < victim.lastUsed.get())) {
                    victim = other;
                }
            }
            if (victim == null) {
                return false;
            }
            PreparedContext evicted = victim.ready.poll();
            if (evicted != null) {
                bytes.addAndGet(-victim.weight);
                close(evicted);
            }
        }
    }

    /** Closes the pooled contexts of a module leaving the runtime's cache; it is never pooled again. */
    void discard(LinkedModule module) {
        Slot slot = module.pool();
        slot.closed.set(true);
        drain(slot);
    }

    private void drain(Slot slot) {
        PreparedContext context;
        while ((context = slot.ready.poll()) != null) {
            bytes.addAndGet(-slot.weight);
            close(context);
        }
        filled.remove(slot);
    }

    private static void close(PreparedContext context) {
        try {
            context.context().close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // Never entered by a guest: nothing to report.
        }
    }

    /** The pool's counters now. */
    ContextPoolStats stats() {
        long contexts = filled.stream().mapToLong(s -> s.ready.size()).sum();
        return new ContextPoolStats(hits.sum(), misses.sum(), contexts, bytes.get());
    }

    /** Stops filling and closes every pooled context. */
    @Override
    public void close() {
        filler.shutdownNow();
        filled.forEach(slot -> {
            slot.closed.set(true);
            drain(slot);
        });
    }
}
