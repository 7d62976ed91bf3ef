package dev.cidra.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime guarantees that a single conformance case cannot show: isolation, recovery, concurrency, caching. */
class WasmRuntimeTest {
    private static WasmRuntime runtime;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        runtime = WasmRuntime.builder().build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static byte[] fixture(String name) {
        try (InputStream in = WasmRuntimeTest.class.getResourceAsStream("/runtime/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] conformance(String name) throws IOException {
        return Files.readAllBytes(ConformanceTest.CASES.resolve(name).resolve("module.wasm"));
    }

    @Test
    void runsWithTheGraalJit() {
        assertEquals(RuntimeMode.COMPILED, runtime.mode(), runtime.implementationName());
    }

    @Test
    void globalsAndMemoryStartFreshInEveryInvocation() {
        var module = ModuleRef.of("counter.wasm", fixture("counter.wasm"));
        for (int i = 0; i < 3; i++) {
            var result = runtime.invoke(Invocation.builder(module).build());
            assertEquals("11\n", result.stdoutText(), "run " + i + ": " + result.error());
        }
    }

    @Test
    void fileDescriptorsDoNotSurviveTheInvocationThatOpenedThem() throws IOException {
        Files.writeString(dir.resolve("data.txt"), "data");
        var module = ModuleRef.of("fd-leak.wasm", fixture("fd-leak.wasm"));
        var inputs = new Mount(dir, "/inputs", false);
        var opened = runtime.invoke(Invocation.builder(module)
                .args(List.of("open", "/inputs/data.txt"))
                .mount(inputs)
                .build());
        assertEquals(0, opened.exitCode(), opened.stderrText());
        String fd = opened.stdoutText().strip();
        var probe = runtime.invoke(Invocation.builder(module)
                .args(List.of("probe", fd))
                .mount(inputs)
                .build());
        assertEquals("closed\n", probe.stdoutText(), "fd " + fd + " leaked into the next invocation");
    }

    @Test
    void environmentDoesNotLeakBetweenInvocations() throws IOException {
        var module = ModuleRef.of("env.wasm", conformance("env"));
        var first =
                runtime.invoke(Invocation.builder(module).env("GREETING", "hi").build());
        assertTrue(first.stdoutText().startsWith("GREETING=hi\n"), first.stdoutText());
        var second = runtime.invoke(Invocation.builder(module).build());
        assertTrue(second.stdoutText().startsWith("GREETING=(unset)\n"), second.stdoutText());
    }

    @Test
    void aRunawayGuestStopsAndTheNextInvocationWorks() throws IOException {
        var loop = runtime.invoke(Invocation.builder(ModuleRef.of("loop.wasm", conformance("infinite-loop")))
                .limits(Limits.DEFAULT.withTimeout(Duration.ofMillis(300)))
                .build());
        assertEquals(InvocationResult.Status.TIMED_OUT, loop.status());
        assertEquals("timed out after 300ms", loop.error());
        var hello = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .build());
        assertEquals("hello, world\n", hello.stdoutText());
    }

    @Test
    void aStopSignalStopsARunawayGuestLongBeforeItsTimeoutAndTheNextInvocationWorks() throws IOException {
        var stop = new CompletableFuture<Void>();
        var stopper = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);
        stopper.execute(() -> stop.complete(null));
        var loop = runtime.invoke(Invocation.builder(ModuleRef.of("loop.wasm", conformance("infinite-loop")))
                .limits(Limits.DEFAULT.withTimeout(Duration.ofMinutes(5)))
                .stop(stop)
                .build());
        assertEquals(InvocationResult.Status.STOPPED, loop.status());
        assertEquals(143, loop.exitCode());
        assertEquals("stopped by its caller before it ended", loop.error());
        var hello = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .stop(new CompletableFuture<>())
                .build());
        assertEquals(InvocationResult.Status.EXITED, hello.status());
        assertEquals("hello, world\n", hello.stdoutText());
    }

    @Test
    void aMemoryBombIsRefusedAndTheNextInvocationWorks() throws IOException {
        var bomb = runtime.invoke(Invocation.builder(ModuleRef.of("bomb.wasm", conformance("memory-bomb")))
                .limits(Limits.DEFAULT.withMemoryBytes(1L << 20))
                .build());
        assertEquals(InvocationResult.Status.EXITED, bomb.status(), bomb.error());
        assertEquals("grow refused at 16 pages\n", bomb.stdoutText());
        var hello = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .build());
        assertEquals("hello, world\n", hello.stdoutText());
    }

    @Test
    void concurrentInvocationsKeepTheirOwnInputsAndOutputs() throws Exception {
        var module = ModuleRef.of("stdin-echo.wasm", conformance("stdin-echo"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var results = new ArrayList<Future<String>>();
            for (int i = 0; i < 64; i++) {
                String input = "input-" + i + "\n";
                Callable<String> call = () -> runtime.invoke(Invocation.builder(module)
                                .stdin(new java.io.ByteArrayInputStream(input.getBytes()))
                                .build())
                        .stdoutText();
                results.add(pool.submit(call));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("input-" + i + "\n", results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linksAModuleOncePerMemoryLimit() throws IOException {
        try (var fresh = WasmRuntime.builder().build()) {
            var module = ModuleRef.of("hello.wasm", conformance("hello"));
            fresh.invoke(Invocation.builder(module).build());
            fresh.invoke(Invocation.builder(module).build());
            assertEquals(1, fresh.linkedModules());
            fresh.invoke(Invocation.builder(module)
                    .limits(Limits.DEFAULT.withMemoryBytes(32L << 20))
                    .build());
            assertEquals(2, fresh.linkedModules());
        }
    }

    @Test
    void fetchTimeAndLinkCacheCountsSeparateAColdCallFromAWarmOne() throws Exception {
        byte[] hello = conformance("hello");
        Cid cid = Cid.rawOf(hello);
        var fetchPause = Duration.ofMillis(5);
        try (var fresh = WasmRuntime.builder()
                .modules(wanted -> {
                    try {
                        Thread.sleep(fetchPause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return hello;
                })
                .build()) {
            var cold = fresh.invoke(Invocation.builder(ModuleRef.of(cid)).build());
            assertEquals(InvocationResult.Status.EXITED, cold.status());
            assertTrue(
                    cold.timing().fetch().compareTo(fetchPause) >= 0,
                    cold.timing().toString());
            assertEquals(new LinkCacheStats(0, 1, 0, hello.length), fresh.linkCacheStats());

            var warm = fresh.invoke(Invocation.builder(ModuleRef.of(cid)).build());
            assertEquals(Duration.ZERO, warm.timing().fetch());
            assertTrue(
                    warm.timing().run().compareTo(Duration.ZERO) > 0,
                    warm.timing().toString());
            var phases = warm.timing()
                    .fetch()
                    .plus(warm.timing().link())
                    .plus(warm.timing().run());
            assertTrue(phases.compareTo(warm.duration()) <= 0, warm.timing() + " within " + warm.duration());
            assertEquals(new LinkCacheStats(1, 1, 0, hello.length), fresh.linkCacheStats());
        }
    }

    @Test
    void aModuleThatIsNotWasmIsRejectedWithItsReason() {
        var result = runtime.invoke(Invocation.builder(ModuleRef.of("junk.wasm", "not wasm at all".getBytes()))
                .build());
        assertEquals(InvocationResult.Status.REJECTED, result.status());
        assertEquals(125, result.exitCode());
        assertTrue(result.error().contains("not a WebAssembly module"), result.error());
    }

    @Test
    void aMissingMountDirectoryIsRejected() throws IOException {
        var result = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .mount(new Mount(dir.resolve("absent"), "/inputs", false))
                .build());
        assertEquals(InvocationResult.Status.REJECTED, result.status());
        assertNotEquals(null, result.error());
        assertTrue(result.error().contains("absent"), result.error());
    }

    @Test
    void aReadWriteMountHoldingAnotherMountIsRejected() throws IOException {
        Path outer = Files.createDirectories(dir.resolve("outer"));
        Path inner = Files.createDirectories(outer.resolve("inner"));
        var result = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .mount(new Mount(outer, "/outputs", true))
                .mount(new Mount(inner, "/inputs", false))
                .build());
        assertEquals(InvocationResult.Status.REJECTED, result.status());
        assertTrue(result.error().contains("a read-write mount may not overlap another"), result.error());
        var readOnlyNesting = runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                .mount(new Mount(outer, "/data", false))
                .mount(new Mount(inner, "/inputs", false))
                .build());
        assertEquals(InvocationResult.Status.EXITED, readOnlyNesting.status(), readOnlyNesting.error());
    }
}
