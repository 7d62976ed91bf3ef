package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The modules in src/test/resources/wasm (sources and build.sh beside them), also on the class path of the tests that
 * use this module's test-jar.
 */
public final class WasmFixtures {
    private WasmFixtures() {}

    /** {@code /wasm/<name>.wasm} from the class path. */
    public static byte[] load(String name) {
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
