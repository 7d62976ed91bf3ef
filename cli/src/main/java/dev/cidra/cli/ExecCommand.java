package dev.cidra.cli;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.Mount;
import dev.cidra.executor.RuntimeMode;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.ModuleRegistry;
import dev.cidra.registry.UnixFs;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cidra exec}: runs a module in this process and exits with the guest's exit code. */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run a WASI preview 1 module in-process: stdin passes through, stdout and stderr stream to the terminal,"
                    + " and cidra exits with the guest's exit code.",
            "If the module does not exit normally cidra prints why on stderr and exits with 124 (timed out),"
                    + " 125 (could not be fetched, verified, linked or started) or 134 (trapped)."
        },
        footer = {
            "",
            "Examples:",
            "  cidra exec hello.wasm",
            "  cidra exec app.wasm -e NAME=world --mount ./data:/inputs --outputs ./out -- --verbose input.txt",
            "  cidra exec bafkreif... --store ./modules --memory 16MiB --timeout 2s",
            "  cidra exec main.wasm --import-module math=./math.wasm --entrypoint run",
            "  cidra exec app.wasm --deterministic --random-seed 42 --outputs ./out --disk 64MiB"
        })
final class ExecCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODULE", description = "A .wasm file, or the CID of a module in a --store.")
    String module;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Guest arguments (after --).")
    List<String> args = new ArrayList<>();

    @Option(
            names = "--entrypoint",
            defaultValue = Invocation.DEFAULT_ENTRYPOINT,
            description = "Exported function to call; no parameters, no results. Default: ${DEFAULT-VALUE}.")
    String entrypoint;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "K=V",
            description = "Guest environment variable (repeatable). Nothing of the host's environment is passed.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = "--mount",
            paramLabel = "HOST:GUEST[:ro|:rw]",
            description =
                    "Preopen a host directory at a guest path (repeatable). Read-only unless :rw; /outputs is read-write unless :ro.")
    List<String> mounts = new ArrayList<>();

    @Option(
            names = "--outputs",
            paramLabel = "DIR",
            description = "Host directory (created if missing) mounted read-write at /outputs.")
    Path outputs;

    @Option(
            names = "--import-module",
            paramLabel = "[NAME=]FILE|CID",
            description =
                    "Module linked under import module NAME (default: the file name without .wasm, or the CID) and, for a"
                            + " file, under its CIDs (v0 and v1, as `cidra cid` prints them) (repeatable).")
    List<String> importModules = new ArrayList<>();

    @Option(
            names = "--store",
            paramLabel = "STORE",
            description =
                    "Where CIDs are fetched from, tried in order (repeatable): a directory, s3://BUCKET/PREFIX (AWS_ENDPOINT_URL, AWS_REGION and credentials from the environment), an http(s) URL template containing {cid}, or ipfs:GATEWAY-URL (trustless gateway, block by block).")
    List<String> stores = new ArrayList<>();

    @Option(
            names = "--memory",
            defaultValue = "64MiB",
            description = "Limit for every linear memory of every module. Default: ${DEFAULT-VALUE}.")
    String memory;

    @Option(
            names = "--timeout",
            defaultValue = "10s",
            description = "Wall-clock limit (ms, s, m, h). Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(
            names = "--stdout-cap",
            defaultValue = "1MiB",
            description = "Stdout kept and shown before the rest is dropped. Default: ${DEFAULT-VALUE}.")
    String stdoutCap;

    @Option(
            names = "--stderr-cap",
            defaultValue = "1MiB",
            description = "Stderr kept and shown before the rest is dropped. Default: ${DEFAULT-VALUE}.")
    String stderrCap;

    @Option(
            names = "--disk",
            defaultValue = "1GiB",
            description =
                    "Bytes all read-write mounts together may hold; a write past it fails in the guest with ENOSPC. Default: ${DEFAULT-VALUE}.")
    String disk;

    @Option(
            names = "--disk-files",
            defaultValue = "100000",
            description =
                    "Files, directories and links all read-write mounts together may hold (ENOSPC past it). Default: ${DEFAULT-VALUE}.")
    long diskFiles;

    @Option(
            names = "--deterministic",
            description =
                    "Make clocks, random bytes, directory order, file times and inode numbers a function of the inputs: two runs with the same inputs print the same bytes.")
    boolean deterministic;

    @Option(
            names = "--random-seed",
            paramLabel = "N",
            description =
                    "Seed of --deterministic's random bytes (default: derived from the module's CID, the arguments and the environment).")
    Long randomSeed;

    @Override
    public Integer call() throws IOException {
        if (randomSeed != null && !deterministic) {
            throw new IllegalArgumentException("--random-seed needs --deterministic");
        }
        var limits = new Limits(
                        Limits.parseSize(memory),
                        Limits.parseDuration(timeout),
                        Math.toIntExact(Limits.parseSize(stdoutCap)),
                        Math.toIntExact(Limits.parseSize(stderrCap)))
                .withDiskBytes(Limits.parseSize(disk))
                .withDiskFiles(diskFiles);
        var stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        var stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        try (ModuleRegistry registry = Stores.registry(stores);
                WasmRuntime runtime =
                        WasmRuntime.builder().modules(registry::fetch).build()) {
            if (runtime.mode() == RuntimeMode.INTERPRETED) {
                stderr.println("cidra: WARNING: no Graal JIT in this JVM, guest code runs interpreter-only (75-170x"
                        + " slower); run through ./cidra, which adds the JIT flags");
            }
            var invocation = Invocation.builder(moduleRef(module))
                    .entrypoint(entrypoint)
                    .args(args)
                    .env(env)
                    .stdin(System.in)
                    .limits(limits)
                    .deterministic(deterministic)
                    .randomSeed(randomSeed)
                    .stdoutSink(stdout)
                    .stderrSink(stderr);
            for (String spec : mounts) {
                invocation.mount(Mount.parse(spec));
            }
            if (outputs != null) {
                Files.createDirectories(outputs);
                invocation.mount(new Mount(outputs.toAbsolutePath(), Mount.OUTPUTS, true));
            }
            for (String spec : importModules) {
                importModule(invocation, spec);
            }
            InvocationResult result = runtime.invoke(invocation.build());
            stdout.flush();
            if (result.stdoutTruncated()) {
                stderr.println("cidra: stdout truncated after " + limits.stdoutBytes() + " bytes (--stdout-cap)");
            }
            if (result.stderrTruncated()) {
                stderr.println("cidra: stderr truncated after " + limits.stderrBytes() + " bytes (--stderr-cap)");
            }
            if (result.error() != null) {
                stderr.println("cidra: " + result.error());
            }
            return result.exitCode();
        }
    }

    private static ModuleRef moduleRef(String spec) throws IOException {
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return ModuleRef.of(file.getFileName().toString(), Files.readAllBytes(file));
        }
        if (spec.endsWith(".wasm") || spec.contains("/")) {
            throw new IllegalArgumentException(spec + ": no such file");
        }
        try {
            return ModuleRef.of(Cid.parse(spec));
        } catch (InvalidCidException e) {
            throw new IllegalArgumentException(spec + " is neither a file nor a CID: " + e.getMessage());
        }
    }

    private static void importModule(Invocation.Builder invocation, String spec) throws IOException {
        int eq = spec.indexOf('=');
        String name = eq > 0 ? spec.substring(0, eq) : null;
        String target = eq > 0 ? spec.substring(eq + 1) : spec;
        ModuleRef ref = moduleRef(target);
        if (name == null) {
            name = ref instanceof ModuleRef.ByBytes b ? b.name().replaceFirst("\\.wasm$", "") : ref.name();
        }
        invocation.importModule(name, ref);
        if (ref instanceof ModuleRef.ByBytes b) {
            for (String cid : UnixFs.names(b.bytes())) {
                invocation.importModule(cid, ref);
            }
        }
    }
}
