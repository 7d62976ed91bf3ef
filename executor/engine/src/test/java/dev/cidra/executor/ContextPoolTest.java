package dev.cidra.executor;

import static dev.cidra.executor.WasmRuntimeTest.conformance;
import static dev.cidra.executor.WasmRuntimeTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cidra.registry.WasmModule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pool of pre-instantiated contexts keeps every guarantee of a fresh context per invocation. Each test waits for
 * the pool's background filler where it needs a context to be ready; none asserts a time.
 */
class ContextPoolTest {
    private static final long POOL_BYTES = 64L << 20;

    /** Waits until the pool holds at least {@code contexts} ready contexts. */
    private static void awaitPooled(WasmRuntime runtime, long contexts) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (runtime.contextPoolStats().contexts() < contexts) {
            if (System.nanoTime() > deadline) {
                fail("the pool never got " + contexts + " ready contexts: " + runtime.contextPoolStats());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Asserts that at least {@code hits} calls found a context ready. */
    private static void assertHitsAtLeast(WasmRuntime runtime, long hits) {
        var stats = runtime.contextPoolStats();
        assertTrue(stats.hits() >= hits, "expected at least " + hits + " hits: " + stats);
    }

    @Test
    void aPooledContextServesOneInvocationOnly() {
        try (var runtime = WasmRuntime.builder().contextPool(2, POOL_BYTES).build()) {
            var module = ModuleRef.of("counter.wasm", fixture("counter.wasm"));
            assertEquals(
                    "11\n", runtime.invoke(Invocation.builder(module).build()).stdoutText());
            for (int i = 0; i < 20; i++) {
                runtime.invoke(Invocation.builder(module).build()); // at most 2 ahead: some calls find none
                var result = runtime.invoke(Invocation.builder(module).build());
                assertEquals("11\n", result.stdoutText(), "run " + i + ": " + result.error());
                awaitPooled(runtime, 1);
                var pooled = runtime.invoke(Invocation.builder(module).build());
                assertEquals("11\n", pooled.stdoutText(), "pooled run " + i + ": " + pooled.error());
            }
            assertHitsAtLeast(runtime, 20);
        }
    }

    @Test
    void aPooledContextGetsItsOwnInvocationsEnvironment() throws IOException {
        try (var runtime = WasmRuntime.builder().contextPool(2, POOL_BYTES).build()) {
            var env = ModuleRef.of("env.wasm", conformance("env"));
            runtime.invoke(Invocation.builder(env).env("GREETING", "first").build());
            runtime.invoke(Invocation.builder(env).env("GREETING", "second").build());
            awaitPooled(runtime, 1);
            var withEnv =
                    runtime.invoke(Invocation.builder(env).env("GREETING", "hi").build());
            assertTrue(withEnv.stdoutText().startsWith("GREETING=hi\n"), withEnv.stdoutText());
            awaitPooled(runtime, 1);
            var without = runtime.invoke(Invocation.builder(env).build());
            assertTrue(without.stdoutText().startsWith("GREETING=(unset)\n"), without.stdoutText());
            assertHitsAtLeast(runtime, 2);
        }
    }

    /** A runtime of its own: the pool's count of ready contexts is over every module, so another's would satisfy it. */
    @Test
    void aPooledContextGetsItsOwnInvocationsStdin() throws IOException {
        try (var runtime = WasmRuntime.builder().contextPool(2, POOL_BYTES).build()) {
            var echo = ModuleRef.of("stdin-echo.wasm", conformance("stdin-echo"));
            for (int i = 0; i < 5; i++) {
                byte[] input = ("input-" + i + "\n").getBytes(StandardCharsets.UTF_8);
                var result = runtime.invoke(Invocation.builder(echo)
                        .stdin(new ByteArrayInputStream(input))
                        .build());
                assertEquals("input-" + i + "\n", result.stdoutText());
                if (i > 0) {
                    awaitPooled(runtime, 1); // pooled from the second call on: calls 2 to 4 find one
                }
            }
            assertHitsAtLeast(runtime, 3);
        }
    }

    @Test
    void aTimeoutStopsAGuestInAPooledContext() throws IOException {
        try (var runtime = WasmRuntime.builder().contextPool(1, POOL_BYTES).build()) {
            var loop = ModuleRef.of("loop.wasm", conformance("infinite-loop"));
            var limits = Limits.DEFAULT.withTimeout(Duration.ofMillis(200));
            for (int i = 0; i < 3; i++) {
                if (i > 1) {
                    awaitPooled(runtime, 1);
                }
                var result =
                        runtime.invoke(Invocation.builder(loop).limits(limits).build());
                assertEquals(InvocationResult.Status.TIMED_OUT, result.status(), "run " + i);
            }
            assertHitsAtLeast(runtime, 1);
        }
    }

    @Test
    void aModuleWithAStartFunctionIsNeverPooled() {
        try (var runtime = WasmRuntime.builder().contextPool(2, POOL_BYTES).build()) {
            var module = ModuleRef.of("start-counter.wasm", fixture("start-counter.wasm"));
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        "12\n",
                        runtime.invoke(Invocation.builder(module).build()).stdoutText());
            }
            var stats = runtime.contextPoolStats();
            assertEquals(0, stats.hits(), stats.toString());
            assertEquals(0, stats.contexts(), stats.toString());
        }
    }

    @Test
    void aModuleCalledOnceGetsNoPooledContext() throws IOException {
        try (var runtime = WasmRuntime.builder().contextPool(2, POOL_BYTES).build()) {
            runtime.invoke(Invocation.builder(ModuleRef.of("counter.wasm", fixture("counter.wasm")))
                    .build());
            runtime.invoke(Invocation.builder(ModuleRef.of("hello.wasm", conformance("hello")))
                    .build());
            var stats = runtime.contextPoolStats();
            assertEquals(0, stats.contexts(), stats.toString());
            assertEquals(0, stats.bytes(), stats.toString());
        }
    }

    @Test
    void thePoolStaysWithinItsByteBound() {
        long oneContext = ContextPool.CONTEXT_OVERHEAD + WasmModule.PAGE_SIZE;
        try (var runtime = WasmRuntime.builder().contextPool(4, oneContext).build()) {
            var module = ModuleRef.of("counter.wasm", fixture("counter.wasm"));
            for (int i = 0; i < 10; i++) {
                assertEquals(
                        "11\n",
                        runtime.invoke(Invocation.builder(module).build()).stdoutText());
                assertTrue(
                        runtime.contextPoolStats().bytes() <= oneContext,
                        runtime.contextPoolStats().toString());
            }
            awaitPooled(runtime, 1);
            var stats = runtime.contextPoolStats();
            assertEquals(1, stats.contexts(), stats.toString());
            assertEquals(oneContext, stats.bytes(), stats.toString());
        }
    }

    @Test
    void noPoolMeansEveryInvocationBuildsItsOwnContext() {
        try (var runtime = WasmRuntime.builder().contextPool(0, POOL_BYTES).build()) {
            var module = ModuleRef.of("counter.wasm", fixture("counter.wasm"));
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        "11\n",
                        runtime.invoke(Invocation.builder(module).build()).stdoutText());
            }
            var stats = runtime.contextPoolStats();
            assertEquals(0, stats.hits(), stats.toString());
            assertEquals(5, stats.misses(), stats.toString());
        }
    }
}
