package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot invocation: a module already fetched, verified, parsed and linked is run again, as a platform serves a popular
 * function. The module is named by CID, as requests name it, so nothing is hashed per call. Every invocation builds a
 * fresh context and is checked (exit 0, expected stdout): a failing invocation stops the benchmark.
 *
 * <p>The warm-up is long because the Graal compiler runs as Java bytecode on a stock JDK: it has to be compiled
 * itself before it compiles the invocation path. On 2 shared cores {@code trivial.wasm} reached its steady state after
 * about 20 s and {@code big.wasm} (whose data-segment copy is compiled late) after about 40 s.
 *
 * <p>{@code pooled} is the number of pre-instantiated contexts per hot module: 2 as the executor runs, 0 for a
 * context built and instantiated on the call path (step {@code pool} of {@code run.sh} runs both).
 *
 * <p>Goals: p50 at most 20 us for {@code trivial.wasm} and 150 us for the 2 MB {@code big.wasm}; at least 60,000
 * invocations/s on 2 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 25, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotInvocationBenchmark {
    @Param({"trivial.wasm", "big.wasm"})
    public String guest;

    /** Pre-instantiated contexts kept per hot module ({@code WasmRuntime.Builder.contextPool}); 0: none. */
    @Param({"2"})
    public int pooled;

    private WasmRuntime runtime;
    private ModuleRef module;

    @Setup(Level.Trial)
    public void start() {
        byte[] bytes = Guests.bytes(guest);
        runtime = Guests.runtimeFor(bytes, pooled);
        module = ModuleRef.of(Cid.rawOf(bytes));
        // Fetches and links once, and fails the trial before measuring if the guest does not run.
        invoke();
    }

    @TearDown(Level.Trial)
    public void stop() {
        // The pool's share of the calls and the memory it holds, beside the figures.
        System.out.println("context pool: " + runtime.contextPoolStats());
        runtime.close();
    }

    @Benchmark
    @Threads(1)
    public InvocationResult oneThread() {
        return invoke();
    }

    @Benchmark
    @Threads(2)
    public InvocationResult twoThreads() {
        return invoke();
    }

    private InvocationResult invoke() {
        return Guests.requireSuccess(
                guest, runtime.invoke(Invocation.builder(module).build()));
    }
}
