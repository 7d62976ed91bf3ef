package dev.cidra.executor.service.execution;

import dev.cidra.executor.Warmup;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.executor.service.config.ExecutorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Warms the engine at startup with its built-in corpus ({@link Warmup}: guest code of our own with data of our own,
 * never a user's) on a thread of its own, holding every guest slot meanwhile: calls and jobs that arrive wait for it
 * instead of running on a cold compiler. The node is not ready until it ends (the readiness check {@code
 * engine-warmup}). A warm-up that fails leaves the node not ready and says why; the slots are given back either way.
 */
@Singleton
public class EngineWarmup {
    private static final Logger LOG = Logger.getLogger(EngineWarmup.class);

    private final WasmRuntime runtime;
    private final Guests guests;
    private final int rounds;
    private volatile int done;
    private volatile boolean finished;
    private volatile String failure;

    @Inject
    EngineWarmup(WasmRuntime runtime, Guests guests, ExecutorConfig config) {
        this(runtime, guests, config.execution().warmupRounds());
    }

    EngineWarmup(WasmRuntime runtime, Guests guests, int rounds) {
        this.runtime = runtime;
        this.guests = guests;
        this.rounds = rounds;
        if (rounds < 0) {
            throw new IllegalArgumentException("cidra.execution.warmup-rounds must be at least 0, not " + rounds);
        }
    }

    /** Before the consumers start (their observers come later): takes the slots, then warms up in the background. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        guests.takeAll();
        Thread.ofPlatform().name("cidra-warmup").daemon(true).start(this::run);
    }

    /** Runs the warm-up on the calling thread with the slots taken, then gives them back. */
    void run() {
        long start = System.nanoTime();
        try {
            Warmup.run(runtime, rounds, round -> {
                done = round;
                LOG.infof("engine warm-up: round %d of %d done", round, rounds);
            });
            LOG.infof("engine warm-up: %d rounds in %d ms", rounds, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.errorf(e, "engine warm-up failed; the node stays not ready");
        } finally {
            finished = true;
            guests.releaseAll();
        }
    }

    /** Rounds to run. */
    public int rounds() {
        return rounds;
    }

    /** Rounds done so far. */
    public int done() {
        return done;
    }

    /** Whether the warm-up has ended without failing. */
    public boolean warm() {
        return finished && failure == null;
    }

    /** Why the warm-up failed, or null. */
    public String failure() {
        return failure;
    }
}
