package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.WasmRuntime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Guest compute speed, GraalWasm against the same C compiled natively with {@code gcc -O2}. The self-timing guests
 * ({@code fib}, {@code nbody}, {@code sha256}; see the guests' README) time their own rounds, so instantiation and
 * start-up are left out. Each native binary runs a few times and each wasm module many times in one
 * {@link WasmRuntime} (compiled code is shared by its invocations, so later runs start warm); the best round time of
 * each is compared. Both builds must print the same checksum.
 *
 * <p>Usage: {@code GuestVsNative NATIVE_DIR [ROUNDS [WARMUP [WASM_RUNS]]]} (defaults 20, 10, 10); NATIVE_DIR holds
 * {@code <name>-native}, built by {@code guests/build.sh --native NATIVE_DIR}. Goal: geometric mean of the
 * wasm/native ratios at most 1.5.
 */
public final class GuestVsNative {
    private static final List<String> PROGRAMS = List.of("sha256", "nbody", "fib");
    private static final int NATIVE_RUNS = 5;
    private static final Pattern REPORT =
            Pattern.compile("name=(\\S+) ns_per_round=(\\d+) checksum=([0-9a-f]{16})\\s*");
    private static final Limits LIMITS = Limits.DEFAULT.withTimeout(Duration.ofMinutes(5));
    private static final double GOAL = 1.5;

    private GuestVsNative() {}

    /** One run's report: nanoseconds per round and the checksum of the rounds' work. */
    private record Report(long nsPerRound, String checksum) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: GuestVsNative NATIVE_DIR [ROUNDS [WARMUP [WASM_RUNS]]]");
            System.exit(2);
        }
        Path nativeDir = Path.of(args[0]);
        String rounds = args.length > 1 ? args[1] : "20";
        String warmup = args.length > 2 ? args[2] : "10";
        int wasmRuns = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        try (WasmRuntime runtime = Jit.requireCompiled(WasmRuntime.builder().build())) {
            System.out.printf(
                    "runtime %s; %s rounds after %s warm-up rounds per run; best of %d native runs and of %d wasm"
                            + " runs in one runtime%n%n",
                    runtime.implementationName(), rounds, warmup, NATIVE_RUNS, wasmRuns);
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %14s %14s %7s  %s%n",
                    "program",
                    "native ns/rnd",
                    "wasm ns/rnd",
                    "ratio",
                    "wasm ns/round of every run, in order");
            double logSum = 0;
            for (String program : PROGRAMS) {
                List<Report> natives = new ArrayList<>();
                for (int i = 0; i < NATIVE_RUNS; i++) {
                    natives.add(runNative(nativeDir.resolve(program + "-native"), program, rounds, warmup));
                }
                ModuleRef module = ModuleRef.of(program + ".wasm", Guests.bytes(program + ".wasm"));
                List<Report> wasms = new ArrayList<>();
                for (int i = 0; i < wasmRuns; i++) {
                    wasms.add(runWasm(runtime, module, program, rounds, warmup));
                }
                String checksum = natives.getFirst().checksum();
                if (!natives.stream().allMatch(r -> r.checksum().equals(checksum))
                        || !wasms.stream().allMatch(r -> r.checksum().equals(checksum))) {
                    throw new IllegalStateException(program + ": native and wasm runs disagree on the checksum: native "
                            + natives + ", wasm " + wasms);
                }
                long bestNative = best(natives);
                long bestWasm = best(wasms);
                double ratio = (double) bestWasm / bestNative;
                logSum += Math.log(ratio);
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %14d %14d %6.2fx  %s%n",
                        program,
                        bestNative,
                        bestWasm,
                        ratio,
                        wasms.stream().map(r -> Long.toString(r.nsPerRound())).collect(Collectors.joining(" ")));
            }
            double geomean = Math.exp(logSum / PROGRAMS.size());
            System.out.printf(
                    Locale.ROOT,
                    "%ngeomean wasm/native %.2fx (goal <= %.1fx): %s%n",
                    geomean,
                    GOAL,
                    geomean <= GOAL ? "met" : "MISSED");
        }
    }

    private static long best(List<Report> reports) {
        return reports.stream().mapToLong(Report::nsPerRound).min().orElseThrow();
    }

    private static Report runNative(Path binary, String program, String rounds, String warmup) throws IOException {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("native build " + binary + " is missing or not executable: build it with"
                    + " guests/build.sh --native " + binary.getParent());
        }
        Process process = new ProcessBuilder(binary.toString(), rounds, warmup)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + binary);
        }
        if (status != 0) {
            throw new IllegalStateException(binary + " exited " + status + " printing \"" + out + "\"");
        }
        return parse(program, binary.toString(), out);
    }

    private static Report runWasm(WasmRuntime runtime, ModuleRef module, String program, String rounds, String warmup) {
        InvocationResult result = runtime.invoke(Invocation.builder(module)
                .args(List.of(rounds, warmup))
                .limits(LIMITS)
                .build());
        if (result.status() != InvocationResult.Status.EXITED || result.exitCode() != 0) {
            throw new IllegalStateException(module.name() + " ended " + result.status() + " with exit code "
                    + result.exitCode() + ": " + result.error() + "; stderr: " + result.stderrText());
        }
        return parse(program, module.name(), result.stdoutText());
    }

    private static Report parse(String program, String what, String out) {
        Matcher m = REPORT.matcher(out);
        if (!m.matches() || !m.group(1).equals(program)) {
            throw new IllegalStateException(what + " printed \"" + out + "\", not \"name=" + program
                    + " ns_per_round=<n> checksum=<16 hex digits>\"");
        }
        return new Report(Long.parseLong(m.group(2)), m.group(3));
    }
}
