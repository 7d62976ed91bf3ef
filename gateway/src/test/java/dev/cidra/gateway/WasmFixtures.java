package dev.cidra.gateway;

import dev.cidra.registry.WasmModule;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Test modules: the fixtures of module-registry-cache ({@code /wasm/*.wasm} on the test class path through its
 * test-jar; sources and build script beside them there), and copies made unique or large with a custom section.
 */
public final class WasmFixtures {
    private WasmFixtures() {}

    /** {@code /wasm/<name>.wasm}, e.g. {@code lib}: exports {@code mem} and {@code add}, imports nothing. */
    public static byte[] load(String name) {
        return dev.cidra.registry.WasmFixtures.load(name);
    }

    /** {@code lib} with a random custom section: a module with the same imports and exports no test uploaded before. */
    public static byte[] uniqueLib() {
        return withCustomSection(load("lib"), UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code module} followed by a custom section (id 0, ignored by engines) named {@code cidra-test} holding payload. */
    public static byte[] withCustomSection(byte[] module, byte[] payload) {
        return WasmModule.withCustomSection(module, "cidra-test", payload);
    }
}
