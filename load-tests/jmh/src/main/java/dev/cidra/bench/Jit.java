package dev.cidra.bench;

import dev.cidra.executor.RuntimeMode;
import dev.cidra.executor.WasmRuntime;
import org.graalvm.polyglot.Engine;

/**
 * Refuses to benchmark an interpreter: numbers taken without the Graal JIT are 75-170x off and must never be
 * reported.
 */
final class Jit {
    private static final String HOW = "launch through load-tests/jmh/run.sh, which passes -XX:+EnableJVMCI and"
            + " --upgrade-module-path=<load-tests/jmh/target/graal-jit> to every benchmark JVM";

    private Jit() {}

    /**
     * Returns {@code runtime} if it compiles guest code.
     *
     * @throws IllegalStateException if it only interprets; {@code runtime} is closed first
     */
    static WasmRuntime requireCompiled(WasmRuntime runtime) {
        if (runtime.mode() != RuntimeMode.COMPILED) {
            String name = runtime.implementationName();
            runtime.close();
            throw interpreted(name);
        }
        return runtime;
    }

    /**
     * Returns {@code engine} if it compiles guest code.
     *
     * @throws IllegalStateException if it only interprets; {@code engine} is closed first
     */
    static Engine requireCompiled(Engine engine) {
        String name = engine.getImplementationName();
        if (name.toLowerCase(java.util.Locale.ROOT).contains("interpreted")) {
            engine.close();
            throw interpreted(name);
        }
        return engine;
    }

    private static IllegalStateException interpreted(String implementation) {
        return new IllegalStateException("GraalWasm runs interpreter-only in this JVM (implementation \""
                + implementation + "\"): refusing to benchmark; " + HOW);
    }
}
