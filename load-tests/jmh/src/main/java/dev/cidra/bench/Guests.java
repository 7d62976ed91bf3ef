package dev.cidra.bench;

import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ModuleNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The benchmark guests under {@code src/main/resources/guests/} (see the README there), read from the class path. */
final class Guests {
    /** What {@code big.wasm} prints; the README checked the sum against Python. */
    private static final String BIG_STDOUT = "big sum=60209\n";

    private Guests() {}

    /**
     * The bytes of {@code guests/<file>}.
     *
     * @throws IllegalStateException if the class path has no such guest
     */
    static byte[] bytes(String file) {
        String resource = "/guests/" + file;
        try (InputStream in = Guests.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("benchmark guest " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark guest " + resource, e);
        }
    }

    /**
     * A JIT-compiled runtime whose module source holds only {@code bytes}, under their CID, keeping {@code pooled}
     * pre-instantiated contexts per hot module (within 64 MiB, the executor's default).
     *
     * @throws IllegalStateException if this JVM runs GraalWasm interpreter-only
     */
    static WasmRuntime runtimeFor(byte[] bytes, int pooled) {
        Cid cid = Cid.rawOf(bytes);
        return Jit.requireCompiled(WasmRuntime.builder()
                .contextPool(pooled, 64L << 20)
                .modules(wanted -> {
                    if (!wanted.equals(cid)) {
                        throw new ModuleNotFoundException("this benchmark holds only " + cid + ", not " + wanted);
                    }
                    return bytes;
                })
                .build());
    }

    /** What the guest {@code file} prints on stdout when run without arguments: nothing, except for big.wasm. */
    static String expectedStdout(String file) {
        return file.equals("big.wasm") ? BIG_STDOUT : "";
    }

    /**
     * Returns {@code result} if the guest {@code file}, run without arguments, exited 0 and printed its
     * {@linkplain #expectedStdout expected output}. A benchmark that measured failing invocations would report nonsense.
     *
     * @throws IllegalStateException otherwise, naming the guest, the status and the error
     */
    static InvocationResult requireSuccess(String file, InvocationResult result) {
        String expected = expectedStdout(file);
        if (result.status() != InvocationResult.Status.EXITED
                || result.exitCode() != 0
                || !result.stdoutText().equals(expected)) {
            throw new IllegalStateException("invocation of guest " + file + " (" + result.moduleCid() + ") ended "
                    + result.status() + " with exit code " + result.exitCode() + ", error " + result.error()
                    + " and stdout \"" + result.stdoutText() + "\"; expected exit code 0 and stdout \"" + expected
                    + "\"");
        }
        return result;
    }
}
