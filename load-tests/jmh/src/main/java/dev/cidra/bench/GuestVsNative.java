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
 * <p>With {@code NODE_RUNNER} ({@code load-tests/node/wasi-run.mjs}), the same modules also run under Node.js (V8,
 * {@code node:wasi}), {@code WASM_RUNS} times in one {@code node} process, and the table gets a Node.js column: the
 * same guests, the same arguments, in the same run of this program.
 *
 * <p>Usage: {@code GuestVsNative NATIVE_DIR [ROUNDS [WARMUP [WASM_RUNS [NODE_RUNNER]]]]} (defaults 20, 10, 10, no
 * Node.js); NATIVE_DIR holds {@code <name>-native}, built by {@code guests/build.sh --native NATIVE_DIR}. Goals:
 * geometric mean of the wasm/native ratios at most 1.5, and at most Node.js's.
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
        if (args.length < 1 || args.length > 5) {
            System.err.println("usage: GuestVsNative NATIVE_DIR [ROUNDS [WARMUP [WASM_RUNS [NODE_RUNNER]]]]");
            System.exit(2);
        }
        Path nativeDir = Path.of(args[0]);
        String rounds = args.length > 1 ? args[1] : "20";
        String warmup = args.length > 2 ? args[2] : "10";
        int wasmRuns = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Path nodeRunner = args.length > 4 ? Path.of(args[4]) : null;
        try (WasmRuntime runtime = Jit.requireCompiled(WasmRuntime.builder().build())) {
            System.out.printf(
                    "runtime %s; %s rounds after %s warm-up rounds per run; best of %d native runs and of %d wasm"
                            + " runs in one runtime%n%n",
                    runtime.implementationName(), rounds, warmup, NATIVE_RUNS, wasmRuns);
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %14s %14s %7s %14s %7s  %s%n",
                    "program",
                    "native ns/rnd",
                    "wasm ns/rnd",
                    "ratio",
                    "node ns/rnd",
                    "ratio",
                    "wasm ns/round of every run, in order");
            double logSum = 0;
            double nodeLogSum = 0;
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
                List<Report> nodes =
                        nodeRunner == null ? List.of() : runNode(nodeRunner, program, rounds, warmup, wasmRuns);
                String checksum = natives.getFirst().checksum();
                if (!natives.stream().allMatch(r -> r.checksum().equals(checksum))
                        || !wasms.stream().allMatch(r -> r.checksum().equals(checksum))
                        || !nodes.stream().allMatch(r -> r.checksum().equals(checksum))) {
                    throw new IllegalStateException(program + ": native, wasm and node runs disagree on the checksum:"
                            + " native " + natives + ", wasm " + wasms + ", node " + nodes);
                }
                long bestNative = best(natives);
                long bestWasm = best(wasms);
                double ratio = (double) bestWasm / bestNative;
                logSum += Math.log(ratio);
                long bestNode = nodes.isEmpty() ? 0 : best(nodes);
                double nodeRatio = (double) bestNode / bestNative;
                nodeLogSum += nodes.isEmpty() ? 0 : Math.log(nodeRatio);
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %14d %14d %6.2fx %14s %7s  %s%n",
                        program,
                        bestNative,
                        bestWasm,
                        ratio,
                        nodes.isEmpty() ? "-" : Long.toString(bestNode),
                        nodes.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2fx", nodeRatio),
                        wasms.stream().map(r -> Long.toString(r.nsPerRound())).collect(Collectors.joining(" ")));
            }
            double geomean = Math.exp(logSum / PROGRAMS.size());
            System.out.printf(
                    Locale.ROOT,
                    "%ngeomean wasm/native %.2fx (goal <= %.1fx): %s%n",
                    geomean,
                    GOAL,
                    geomean <= GOAL ? "met" : "MISSED");
            if (nodeRunner != null) {
                double nodeGeomean = Math.exp(nodeLogSum / PROGRAMS.size());
                System.out.printf(
                        Locale.ROOT,
                        "geomean node/native %.2fx; Cidra against Node.js %.2fx (goal <= 1.0x): %s%n",
                        nodeGeomean,
                        geomean / nodeGeomean,
                        geomean <= nodeGeomean ? "met" : "MISSED");
            }
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

    /** {@code runs} runs of the guest in one {@code node} process, through the runner script. */
    private static List<Report> runNode(Path runner, String program, String rounds, String warmup, int runs)
            throws IOException {
        Path wasm = Files.createTempFile(program, ".wasm");
        try {
            Files.write(wasm, Guests.bytes(program + ".wasm"));
            Process process = new ProcessBuilder(
                            "node",
                            "--no-warnings",
                            runner.toString(),
                            Integer.toString(runs),
                            wasm.toString(),
                            "--",
                            rounds,
                            warmup)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for node");
            }
            if (status != 0) {
                throw new IllegalStateException("node " + runner + " " + program + " exited " + status + ": " + out);
            }
            var reports = out.lines()
                    .filter(line -> line.startsWith("name="))
                    .map(line -> parse(program, "node " + program, line))
                    .toList();
            if (reports.size() != runs) {
                throw new IllegalStateException(
                        "node printed " + reports.size() + " reports, not " + runs + ": " + out);
            }
            return reports;
        } finally {
            Files.deleteIfExists(wasm);
        }
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
