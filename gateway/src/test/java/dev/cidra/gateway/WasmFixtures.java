package dev.cidra.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
        try (InputStream in = WasmFixtures.class.getResourceAsStream("/wasm/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalStateException("no fixture /wasm/" + name + ".wasm on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code lib} with a random custom section: a module with the same imports and exports no test uploaded before. */
    public static byte[] uniqueLib() {
        return withCustomSection(load("lib"), UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code module} followed by a custom section (id 0, ignored by engines) named {@code cidra-test} holding payload. */
    public static byte[] withCustomSection(byte[] module, byte[] payload) {
        byte[] name = "cidra-test".getBytes(StandardCharsets.US_ASCII);
        var section = new ByteArrayOutputStream();
        writeU32(section, name.length);
        section.writeBytes(name);
        section.writeBytes(payload);
        var out = new ByteArrayOutputStream();
        out.writeBytes(module);
        out.write(0);
        writeU32(out, section.size());
        out.writeBytes(section.toByteArray());
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }
}
