package dev.cidra.executor.service.execution;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The node's guest slots: runs invocations (for {@link GuestRun}) on the {@link WasmRuntime}, at most {@code cidra.execution.concurrency} at
 * once (one per core by default) across the synchronous and the job consumers. A caller over the bound waits for a
 * slot, first come first served; fetching inputs and publishing results happen outside the slots. Thread-safe.
 */
@Singleton
public class Guests {
    private final WasmRuntime runtime;
    private final Semaphore slots;
    private final int concurrency;
    private final Limits outputLimits;
    private final String nodeId;

    Guests(WasmRuntime runtime, ExecutorConfig config) {
        this.runtime = runtime;
        var execution = config.execution();
        this.concurrency = execution.concurrency().orElse(Runtime.getRuntime().availableProcessors());
        if (concurrency < 1) {
            throw new IllegalArgumentException("cidra.execution.concurrency must be at least 1, not " + concurrency);
        }
        this.slots = new Semaphore(concurrency, true);
        this.outputLimits =
                Limits.DEFAULT.withStdoutBytes(execution.stdoutBytes()).withStderrBytes(execution.stderrBytes());
        this.nodeId = execution.nodeId().orElseGet(Guests::hostName);
    }

    /** How many guests may run at once. */
    public int concurrency() {
        return concurrency;
    }

    /** How many guests run now (a snapshot). */
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
