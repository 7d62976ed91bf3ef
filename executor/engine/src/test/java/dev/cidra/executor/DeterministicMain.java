package dev.cidra.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@link DeterministicTest}'s guest once in deterministic mode in this process and prints what it saw. */
final class DeterministicMain {
    private DeterministicMain() {}

    public static void main(String[] args) throws Exception {
        try (var runtime = WasmRuntime.builder().build()) {
            String seen = DeterministicTest.run(runtime, Path.of(args[0]), true, null);
            System.out.write(seen.getBytes(StandardCharsets.UTF_8));
            System.out.flush();
        }
    }
}
