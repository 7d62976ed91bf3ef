package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.Mount;
import dev.cidra.executor.Warmup;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ModuleNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The first runs of a module an executor has never seen, as a running executor serves them: one {@link WasmRuntime}
 * is built (the executor's engine), warmed with the executor's built-in corpus ({@link Warmup}, as many rounds as the
 * executor's {@code cidra.execution.warmup-rounds}), and only then is the module named by its CID for the first time.
 * It is run {@code RUNS} times in that runtime; each run's wall time is printed with the engine's own phases (fetch,
 * link, run: the run phase holds GraalWasm's parsing, instantiation, compilation and the guest's work).
 *
 * <p>Usage: {@code FirstRun WARMUP_ROUNDS RUNS WASM [--mount HOST:GUEST[:ro]]... -- ARGS...}; mounts are read-write
 * unless {@code :ro}. Prints one line per run, {@code first-run run=<n> ms=<wall> fetch=.. link=.. phase_run=..
 * exit=<code>}. The command {@code load-tests/first-run/run.sh} prints these beside Node.js on the same module.
 */
public final class FirstRun {
    private static final Limits LIMITS =
            Limits.DEFAULT.withTimeout(Duration.ofMinutes(10)).withMemoryBytes(1L << 30);

    private FirstRun() {}

    public static void main(String[] args) throws IOException {
        int split = Arrays.asList(args).indexOf("--");
        if (args.length < 3 || split < 3) {
            System.err.println("usage: FirstRun WARMUP_ROUNDS RUNS WASM [--mount HOST:GUEST[:ro]]... -- ARGS...");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        byte[] bytes = Files.readAllBytes(Path.of(args[2]));
        var mounts = new ArrayList<Mount>();
        for (int i = 3; i < split; i++) {
            if (!args[i].equals("--mount") || i + 1 >= split) {
                System.err.println("FirstRun: unexpected argument " + args[i]);
                System.exit(2);
            }
            String[] parts = args[++i].split(":");
            mounts.add(new Mount(Path.of(parts[0]), parts[1], !(parts.length > 2 && parts[2].equals("ro"))));
        }
        List<String> guestArgs = List.of(args).subList(split + 1, args.length);
        Cid cid = Cid.rawOf(bytes);

        long start = System.nanoTime();
        try (WasmRuntime runtime = Jit.requireCompiled(WasmRuntime.builder()
                .modules(wanted -> {
                    if (!wanted.equals(cid)) {
                        throw new ModuleNotFoundException("this benchmark holds only " + cid + ", not " + wanted);
                    }
                    return bytes;
                })
                .build())) {
            System.out.printf(Locale.ROOT, "first-run engine ms=%d%n", millisSince(start));
            long warm = System.nanoTime();
            Warmup.run(runtime, rounds, round -> {});
            System.out.printf(Locale.ROOT, "first-run warmup rounds=%d ms=%d%n", rounds, millisSince(warm));
            for (int run = 1; run <= runs; run++) {
                long begin = System.nanoTime();
                var invocation =
                        Invocation.builder(ModuleRef.of(cid)).args(guestArgs).limits(LIMITS);
                mounts.forEach(invocation::mount);
                InvocationResult result = runtime.invoke(invocation.build());
                System.out.printf(
                        Locale.ROOT,
                        "first-run run=%d ms=%d fetch=%d link=%d phase_run=%d exit=%d%s%n",
                        run,
                        millisSince(begin),
                        result.timing().fetch().toMillis(),
                        result.timing().link().toMillis(),
                        result.timing().run().toMillis(),
                        result.exitCode(),
                        result.error() == null ? "" : " error=" + result.error());
                if (result.status() != InvocationResult.Status.EXITED || result.exitCode() != 0) {
                    System.err.println(result.stderrText());
                    System.exit(1);
                }
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
