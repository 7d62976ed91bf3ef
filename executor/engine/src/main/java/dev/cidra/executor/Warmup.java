package dev.cidra.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Warms a {@link WasmRuntime} with its built-in corpus before it serves calls: {@code warmup.wasm} (source and build
 * command beside it in this package's resources) exercises libc, memory and string functions, sorting, floating
 * point, recursion, an interpreter loop and WASI file calls, so that the Graal compiler, which runs as Java bytecode
 * on a stock JDK, and the runtime's own invocation path are compiled before the first user call.
 *
 * <p>Guarantees: only the built-in module runs, with built-in arguments, no stdin, no environment and one scratch
 * directory created for it and deleted afterwards; nothing of a user (module, argument, input, output) is ever part
 * of it, and its output is discarded. It runs on the calling thread.
 */
public final class Warmup {
    /** Name of the built-in corpus module. */
    public static final String MODULE = "warmup.wasm";
    /** Quick invocations (no work, start-up only) after each compute round: the per-call path. */
    static final int CALLS_PER_ROUND = 50;

    private static final Limits LIMITS = Limits.DEFAULT.withTimeout(Duration.ofMinutes(1));
    private static final byte[] CORPUS = load();

    private Warmup() {}

    private static byte[] load() {
        try (InputStream in = Warmup.class.getResourceAsStream("warmup/" + MODULE)) {
            if (in == null) {
                throw new IllegalStateException("the warm-up corpus " + MODULE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the warm-up corpus " + MODULE, e);
        }
    }

    /**
     * Runs {@code rounds} rounds, each a compute run of the corpus followed by {@value #CALLS_PER_ROUND} quick
     * invocations of it, calling {@code progress} with the number of rounds done after each.
     *
     * <p>A run that times out (a cold compiler on an overloaded machine: 1 minute per run) still warmed what it ran
     * and counts as done; the timeout bounds how long the warm-up can hold a node back.
     *
     * @throws IllegalStateException if the corpus traps, is refused or exits non-zero (a broken runtime: the node
     *     must not say it is ready)
     */
    public static void run(WasmRuntime runtime, int rounds, IntConsumer progress) {
        var module = ModuleRef.of(MODULE, CORPUS);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("cidra-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the warm-up's scratch directory", e);
        }
        try {
            for (int round = 1; round <= rounds; round++) {
                check(runtime.invoke(Invocation.builder(module)
                        .args(List.of("1", "/scratch"))
                        .mount(new Mount(scratch, "/scratch", true))
                        .limits(LIMITS)
                        .build()));
                for (int i = 0; i < CALLS_PER_ROUND; i++) {
                    check(runtime.invoke(Invocation.builder(module)
                            .args(List.of("0"))
                            .limits(LIMITS)
                            .build()));
                }
                progress.accept(round);
            }
        } finally {
            delete(scratch);
        }
    }

    private static void check(InvocationResult result) {
        if (result.status() == InvocationResult.Status.TIMED_OUT) {
            return;
        }
        if (result.status() != InvocationResult.Status.EXITED || result.exitCode() != 0) {
            throw new IllegalStateException("the warm-up corpus did not run: " + result.status() + " exit "
                    + result.exitCode() + (result.error() == null ? "" : ": " + result.error()));
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the system cleans it up if we cannot.
        }
    }
}
