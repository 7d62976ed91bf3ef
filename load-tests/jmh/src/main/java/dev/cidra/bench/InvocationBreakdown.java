package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import dev.cidra.registry.WasmModule;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Where the time of a hot invocation goes, phase by phase, with the GraalVM polyglot API used as {@link WasmRuntime}
 * uses it (one shared {@link Engine}, one cached {@link Source} with the runtime's limits written in, a fresh
 * {@link Context} with the same options per invocation): context build, {@code eval(source)}, {@code newInstance()},
 * the call of {@code _start}, and {@code close}. {@link WasmRuntime#invoke} on the same guest is measured in alternation
 * with it for comparison, with the module named by CID and by bytes; the difference is the runtime's own work (link-cache
 * lookup, hashing the bytes when given bytes, output bounding, the timeout watchdog).
 *
 * <p>Usage: {@code InvocationBreakdown [WARMUP_SECONDS [MEASURE_SECONDS]]} (defaults 20 and 10), for
 * {@code trivial.wasm} and then {@code big.wasm}. Prints one table per guest. Fails if the JVM has no Graal JIT or a guest
 * does not run cleanly.
 */
public final class InvocationBreakdown {
    private static final List<String> GUESTS = List.of("trivial.wasm", "big.wasm");
    private static final List<String> PHASES =
            List.of("Context build", "eval(source)", "newInstance()", "call _start", "close(true)");
    /** The memory limit WasmRuntime writes into modules under Limits.DEFAULT (64 MiB), in pages. */
    private static final long MEMORY_PAGES = 1024;
    /** The table limit WasmRuntime writes into modules, in elements. */
    private static final long TABLE_ELEMENTS = 1 << 20;

    private InvocationBreakdown() {}

    public static void main(String[] args) {
        Duration warmup = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 20);
        Duration measure = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 10);
        Map<Cid, byte[]> guests = GUESTS.stream().map(Guests::bytes).collect(Collectors.toMap(Cid::rawOf, b -> b));
        try (Engine engine = Jit.requireCompiled(Engine.newBuilder("wasm")
                        .option("engine.WarnInterpreterOnly", "false")
                        .build());
                WasmRuntime runtime = Jit.requireCompiled(
                        WasmRuntime.builder().modules(guests::get).build())) {
            System.out.printf(
                    "engine implementation \"%s\", version \"%s\"; per guest: warm-up %d s, measurement %d s%n",
                    engine.getImplementationName(), engine.getVersion(), warmup.toSeconds(), measure.toSeconds());
            for (String guest : GUESTS) {
                breakDown(engine, runtime, guest, warmup, measure);
            }
        }
    }

    private static void breakDown(Engine engine, WasmRuntime runtime, String guest, Duration warmup, Duration measure) {
        byte[] bytes = Guests.bytes(guest);
        Source source = Source.newBuilder(
                        "wasm",
                        ByteSequence.create(WasmModule.parse(bytes).withLimits(MEMORY_PAGES, TABLE_ELEMENTS)),
                        guest)
                .cached(true)
                .buildLiteral();
        // By CID is how requests name modules; by bytes (a local file) hashes the module on every call.
        var byCid = ModuleRef.of(Cid.rawOf(bytes));
        var byBytes = ModuleRef.of(guest, bytes);
        // The three ways alternate, so that JIT warm-up and other load on the machine affect them alike.
        repeat(warmup, () -> {
            invokePhases(engine, source, guest, null);
            invokeRuntime(runtime, byCid, guest, null);
            invokeRuntime(runtime, byBytes, guest, null);
        });
        var series = new Series();
        repeat(measure, () -> {
            invokePhases(engine, source, guest, series);
            invokeRuntime(runtime, byCid, guest, series.byCid);
            invokeRuntime(runtime, byBytes, guest, series.byBytes);
        });

        System.out.printf(
                "%n%s (%d bytes, CID %s): %d invocations of each kind measured%n",
                guest, bytes.length, byCid.name(), series.total.size());
        System.out.printf(
                Locale.ROOT, "%-40s %9s %9s %9s %9s %7s%n", "phase", "p50 us", "p90 us", "p99 us", "mean us", "share");
        double totalMean = series.total.mean();
        for (int i = 0; i < PHASES.size(); i++) {
            row(PHASES.get(i), series.phases.get(i), totalMean);
        }
        row("sum of the phases", series.total, totalMean);
        row("WasmRuntime.invoke, module by CID", series.byCid, totalMean);
        row("WasmRuntime.invoke, module by bytes", series.byBytes, totalMean);
    }

    /** The measured samples of one guest. */
    private static final class Series {
        final List<Samples> phases = PHASES.stream().map(name -> new Samples()).toList();
        final Samples total = new Samples();
        final Samples byCid = new Samples();
        final Samples byBytes = new Samples();
    }

    /** One {@link WasmRuntime#invoke}, timed into {@code samples} unless it is null (warm-up). */
    private static void invokeRuntime(WasmRuntime runtime, ModuleRef ref, String guest, Samples samples) {
        long start = System.nanoTime();
        var result = runtime.invoke(Invocation.builder(ref).build());
        long elapsed = System.nanoTime() - start;
        Guests.requireSuccess(guest, result);
        if (samples != null) {
            samples.add(elapsed);
        }
    }

    /**
     * One invocation, timed phase by phase into {@code series} unless it is null (warm-up).
     *
     * @throws IllegalStateException if the guest does not exit 0 with the output it should print
     */
    private static void invokePhases(Engine engine, Source source, String guest, Series series) {
        var stdout = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        Context context = Context.newBuilder("wasm")
                .engine(engine)
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .arguments("wasm", new String[] {guest})
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .environment(Map.of())
                .in(InputStream.nullInputStream())
                .out(stdout)
                .err(stdout)
                .allowHostAccess(HostAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .build();
        long t1 = System.nanoTime();
        Value module = context.eval(source);
        long t2 = System.nanoTime();
        Value instance = module.newInstance();
        long t3 = System.nanoTime();
        int exitCode = 0;
        try {
            instance.getMember("exports").getMember("_start").executeVoid();
        } catch (PolyglotException e) {
            if (!e.isExit()) {
                throw e;
            }
            exitCode = e.getExitStatus();
        }
        long t4 = System.nanoTime();
        try {
            context.close(true);
        } catch (PolyglotException e) {
            // An exit surfaces again on close; it was recorded above.
        }
        long t5 = System.nanoTime();
        String printed = stdout.toString(StandardCharsets.UTF_8);
        String expected = Guests.expectedStdout(guest);
        if (exitCode != 0 || !printed.equals(expected)) {
            throw new IllegalStateException(guest + " exited " + exitCode + " printing \"" + printed
                    + "\"; expected exit code 0 and \"" + expected + "\"");
        }
        if (series != null) {
            long[] marks = {t0, t1, t2, t3, t4, t5};
            for (int i = 0; i < PHASES.size(); i++) {
                series.phases.get(i).add(marks[i + 1] - marks[i]);
            }
            series.total.add(t5 - t0);
        }
    }

    private static void repeat(Duration duration, Runnable action) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            action.run();
        }
    }

    private static void row(String name, Samples samples, double totalMean) {
        System.out.printf(
                Locale.ROOT,
                "%-40s %9.1f %9.1f %9.1f %9.1f %6.0f%%%n",
                name,
                samples.percentile(50) / 1e3,
                samples.percentile(90) / 1e3,
                samples.percentile(99) / 1e3,
                samples.mean() / 1e3,
                100 * samples.mean() / totalMean);
    }
}
