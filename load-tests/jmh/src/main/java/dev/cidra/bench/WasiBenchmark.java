package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.Mount;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What WASI calls cost: hot invocations of {@code trivial.wasm} (no call at all), {@code hello.wasm} (libc start-up
 * and one write) and {@code syscalls.wasm} (~8,200 file calls in a read-write {@code /outputs}), each with the same
 * empty {@code /outputs} mounted. Uses only API that predates the project's own WASI, so the same file measures a
 * revision with GraalWasm's built-in WASI and one with {@code WasiPreview1}. Every invocation is checked (exit 0,
 * expected stdout).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WasiBenchmark {
    @Param({"trivial.wasm", "hello.wasm", "syscalls.wasm"})
    public String guest;

    private WasmRuntime runtime;
    private ModuleRef module;
    private Path outputs;
    private String expectedStdout;

    @Setup(Level.Trial)
    public void start() throws IOException {
        byte[] bytes = Guests.bytes(guest);
        runtime = Guests.runtimeFor(bytes, 2);
        module = ModuleRef.of(Cid.rawOf(bytes));
        outputs = Files.createTempDirectory("cidra-wasi-bench");
        expectedStdout = guest.equals("hello.wasm") ? "hello, world\n" : "";
        invoke();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        runtime.close();
        try (Stream<Path> walk = Files.walk(outputs)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public InvocationResult oneThread() {
        return invoke();
    }

    private InvocationResult invoke() {
        InvocationResult result = runtime.invoke(Invocation.builder(module)
                .mount(new Mount(outputs, Mount.OUTPUTS, true))
                .build());
        if (result.status() != InvocationResult.Status.EXITED
                || result.exitCode() != 0
                || !result.stdoutText().equals(expectedStdout)) {
            throw new IllegalStateException("invocation of guest " + guest + " ended " + result.status()
                    + " with exit code " + result.exitCode() + ", error " + result.error() + ", stdout \""
                    + result.stdoutText() + "\" and stderr \"" + result.stderrText() + "\"");
        }
        return result;
    }
}
