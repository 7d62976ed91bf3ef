package dev.cidra.executor.service.execution;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The node's guest slots: runs invocations (for {@link GuestRun}) on the {@link WasmRuntime}, at most {@code cidra.execution.concurrency} at
 * once (one per core by default) across the synchronous and the job consumers. A caller over the bound waits for a
 * slot, first come first served; fetching inputs and publishing results happen outside the slots. The startup warm-up
 * holds every slot until it ends, so no call runs on a cold engine. Thread-safe.
 */
@Singleton
public class Guests {
    private final WasmRuntime runtime;
    private final Semaphore slots;
    private final int concurrency;
    private final Limits outputLimits;
    private final String nodeId;

    @Inject
    Guests(WasmRuntime runtime, ExecutorConfig config) {
        this(
                runtime,
                config.execution().concurrency().orElse(Runtime.getRuntime().availableProcessors()),
                Limits.DEFAULT
                        .withStdoutBytes(config.execution().stdoutBytes())
                        .withStderrBytes(config.execution().stderrBytes()),
                config.execution().nodeId().orElseGet(Guests::hostName));
    }

    Guests(WasmRuntime runtime, int concurrency, Limits outputLimits, String nodeId) {
        this.runtime = runtime;
        this.concurrency = concurrency;
        if (concurrency < 1) {
            throw new IllegalArgumentException("cidra.execution.concurrency must be at least 1, not " + concurrency);
        }
        this.slots = new Semaphore(concurrency, true);
        this.outputLimits = outputLimits;
        this.nodeId = nodeId;
    }

    /** Takes every slot for the startup warm-up ({@link EngineWarmup}): calls wait until {@link #releaseAll}. */
    void takeAll() {
        slots.acquireUninterruptibly(concurrency);
    }

    /** Gives back the slots {@link #takeAll} took. */
    void releaseAll() {
        slots.release(concurrency);
    }

    /** How many guests may run at once. */
    public int concurrency() {
        return concurrency;
    }

    /** How many guests run now (a snapshot); during the startup warm-up, all. */
    public int running() {
        return concurrency - slots.availablePermits();
    }

    /** The node id events and replies carry ({@code cidra.execution.node-id}, else the host name). */
    public String nodeId() {
        return nodeId;
    }

    /** The node's output caps with a request's memory and time caps. */
    Limits limits(long memoryBytes, Duration timeout) {
        return outputLimits.withMemoryBytes(memoryBytes).withTimeout(timeout);
    }

    /**
     * Waits for a slot, runs the invocation in it and frees the slot.
     *
     * @throws IllegalStateException if interrupted while waiting for a slot (the interrupt flag is kept; nothing ran)
     */
    InvocationResult run(Invocation invocation) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a guest slot", e);
        }
        try {
            return runtime.invoke(invocation);
        } finally {
            slots.release();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
