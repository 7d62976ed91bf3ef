package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The modules in src/test/resources/wasm (sources and build.sh beside them). */
final class WasmFixtures {
    private WasmFixtures() {}

    static byte[] load(String name) {
        try (InputStream in = WasmFixtures.class.getResourceAsStream("/wasm/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalStateException("no fixture wasm/" + name + ".wasm");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
