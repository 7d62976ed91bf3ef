package dev.cidra.executor.service.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.WasmRuntime;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The startup warm-up holds every guest slot until it ends, so a call that arrives meanwhile runs on a warm engine. */
class EngineWarmupTest {
    /** A module with nothing but an empty {@code _start}. */
    private static final byte[] EMPTY = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b
    };

    @Test
    void aCallArrivingDuringTheWarmupRunsAfterIt() throws Exception {
        try (var runtime = WasmRuntime.builder().build()) {
            var guests = new Guests(runtime, 2, Limits.DEFAULT, "node-1");
            var warmup = new EngineWarmup(runtime, guests, 1);
            assertFalse(warmup.warm());
            guests.takeAll(); // what start() does before the consumers start
            var call = CompletableFuture.supplyAsync(() -> {
                InvocationResult result = guests.run(
                        Invocation.builder(ModuleRef.of("empty.wasm", EMPTY)).build());
                return warmup.warm() ? result.status() : null;
            });
            assertEquals(2, guests.running(), "the warm-up holds every slot");
            warmup.run();
            assertTrue(warmup.warm());
            assertEquals(1, warmup.done());
            assertEquals(InvocationResult.Status.EXITED, call.get(), "the call ran before the warm-up had ended");
            assertEquals(0, guests.running());
        }
    }
}
