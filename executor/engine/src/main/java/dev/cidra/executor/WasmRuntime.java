package dev.cidra.executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ImportResolver;
import dev.cidra.registry.ModuleNotFoundException;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.WasmModule;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Runs WASI preview 1 modules on GraalWasm. One runtime per process: it owns the shared {@link Engine} (compiled code
 * is shared by every invocation) and a Caffeine cache of linked modules keyed by entry CID, import modules and memory
 * limit, so a hot module is never fetched, verified, parsed or linked again.
 *
 * <p>Guarantees: {@link #invoke} is thread-safe and may run on many threads at once. Every invocation gets a fresh
 * context: no file descriptor, memory, global, argument or environment variable survives into the next. A guest that
 * traps, loops, floods its output or exhausts its memory ends its own invocation with a result saying so; the runtime
 * stays usable. Guests get no host access, no threads, no processes, no native access, no network and no file
 * system beyond their mounts.
 */
public final class WasmRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WasmRuntime.class.getName());
    /** Tables may not grow past this many elements (a table without a declared maximum would grow on the heap). */
    static final long MAX_TABLE_ELEMENTS = 1 << 20;
    /** How long an interrupted guest gets to stop before its context is cancelled. */
    private static final Duration INTERRUPT_GRACE = Duration.ofMillis(250);

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;
    private static final int TIMED_OUT_DONE = 3;

    private final Engine engine;
    private final RuntimeMode mode;
    private final Function<Cid, byte[]> modules;
    private final int maxImportDepth;
    private final long maxGraphBytes;
    private final Cache<LinkKey, LinkedModule> linked;
    private final ScheduledExecutorService watchdog;
    private final ExecutorService stoppers;

    private record LinkKey(Cid entry, Map<String, Cid> imports, long memoryPages) {}

    private WasmRuntime(Builder builder) {
        this.engine = Engine.newBuilder("wasm")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.mode = engine.getImplementationName()
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("interpreted")
                ? RuntimeMode.INTERPRETED
                : RuntimeMode.COMPILED;
        if (mode == RuntimeMode.INTERPRETED) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "GraalWasm is running INTERPRETER-ONLY (no Graal JIT in this JVM): guest code will be 75-170x"
                            + " slower than native. Launch with -XX:+EnableJVMCI and the Graal compiler jars on"
                            + " --upgrade-module-path (see README.md).");
        }
        this.modules = builder.modules;
        this.maxImportDepth = builder.maxImportDepth;
        this.maxGraphBytes = builder.maxGraphBytes;
        this.linked = Caffeine.newBuilder()
                .maximumWeight(builder.linkCacheBytes)
                .<LinkKey, LinkedModule>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, value.weight()))
                .recordStats()
                .build();
        var timer = new ScheduledThreadPoolExecutor(1, r -> {
            var thread = new Thread(r, "cidra-wasm-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
        this.stoppers = Executors.newCachedThreadPool(r -> {
            var thread = new Thread(r, "cidra-wasm-stopper");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether guest code is JIT-compiled in this process. {@link RuntimeMode#INTERPRETED} is logged as a warning. */
    public RuntimeMode mode() {
        return mode;
    }

    /** The Truffle implementation name, e.g. {@code GraalVM CE} (compiled) or {@code Interpreted}. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    /** How many linked modules the cache holds now. */
    public long linkedModules() {
        return linked.estimatedSize();
    }

    /**
     * The entry CIDs of the linked modules the cache holds now, the most used first, at most {@code limit} of them.
     * A snapshot: entries may be evicted or added while it is read.
     */
    public List<String> linkedEntries(int limit) {
        return linked.policy()
                .eviction()
                .map(eviction -> eviction.hottest(limit).keySet().stream())
                .orElseGet(() -> linked.asMap().keySet().stream())
                .map(key -> key.entry().toString())
                .distinct()
                .limit(limit)
                .toList();
    }

    /** The linked-module cache's counters now. */
    public LinkCacheStats linkCacheStats() {
        var stats = linked.stats();
        long bytes = linked.policy()
                .eviction()
                .flatMap(eviction -> eviction.weightedSize().stream().boxed().findFirst())
                .orElse(0L);
        return new LinkCacheStats(stats.hitCount(), stats.missCount(), stats.evictionCount(), bytes);
    }

    /**
     * Runs one invocation to its end on the calling thread. Never throws for anything the module or its inputs do:
     * fetch, verification, link and entrypoint problems give {@link InvocationResult.Status#REJECTED}, traps
     * {@link InvocationResult.Status#TRAPPED}, the timeout {@link InvocationResult.Status#TIMED_OUT}.
     */
    public InvocationResult invoke(Invocation invocation) {
        var clock = new PhaseClock(modules);
        var stdout = new BoundedOutput(invocation.limits().stdoutBytes(), invocation.stdoutSink());
        var stderr = new BoundedOutput(invocation.limits().stderrBytes(), invocation.stderrSink());
        String entryCid = invocation.module().name();
        LinkedModule module;
        try {
            module = link(invocation, clock);
            entryCid = module.entryCid();
            checkEntrypoint(module, invocation);
        } catch (RegistryException | IllegalArgumentException | UncheckedIOException e) {
            clock.linked();
            return result(Outcome.rejected(e.getMessage()), stdout, stderr, entryCid, clock);
        }
        clock.linked();
        Context context;
        try {
            context = newContext(invocation, stdout, stderr);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            clock.ran();
            return result(Outcome.rejected(e.getMessage()), stdout, stderr, entryCid, clock);
        }
        Outcome outcome = null;
        try {
            outcome = run(context, module, invocation);
        } finally {
            close(context, outcome != null && outcome.status() == InvocationResult.Status.EXITED);
        }
        clock.ran();
        return result(outcome, stdout, stderr, entryCid, clock);
    }

    /**
     * Times one invocation's phases on its invoking thread: fetches made through it are summed as the fetch phase, the
     * rest of the time up to {@link #linked} is the link phase, and from there to {@link #ran} the run phase. Not
     * thread-safe: a link and its fetches run on the invoking thread.
     */
    private static final class PhaseClock implements Function<Cid, byte[]> {
        private final Function<Cid, byte[]> modules;
        private final long start = System.nanoTime();
        private long fetchNanos;
        private long linkedAt = -1;
        private long ranAt = -1;

        PhaseClock(Function<Cid, byte[]> modules) {
            this.modules = modules;
        }

        @Override
        public byte[] apply(Cid cid) {
            long begin = System.nanoTime();
            try {
                return modules.apply(cid);
            } finally {
                fetchNanos += System.nanoTime() - begin;
            }
        }

        /** Ends the link phase; a later call keeps the first end. */
        void linked() {
            if (linkedAt < 0) {
                linkedAt = System.nanoTime();
            }
        }

        /** Ends the run phase (and the link phase, if it had not ended). */
        void ran() {
            linked();
            ranAt = System.nanoTime();
        }

        /** From the start to the last phase ended. */
        Duration total() {
            return Duration.ofNanos((ranAt < 0 ? linkedAt : ranAt) - start);
        }

        InvocationResult.Timing timing() {
            return new InvocationResult.Timing(
                    Duration.ofNanos(fetchNanos),
                    Duration.ofNanos(Math.max(0, linkedAt - start - fetchNanos)),
                    Duration.ofNanos(ranAt < 0 ? 0 : ranAt - linkedAt));
        }
    }

    /**
     * Closes a finished invocation's context: gently when the guest exited (cheaper than cancelling), by cancelling
     * otherwise or when a stopper thread is still working on it. Never throws.
     */
    private static void close(Context context, boolean exited) {
        if (exited) {
            try {
                context.close();
                return;
            } catch (PolyglotException exit) {
                return; // close() rethrows the guest's proc_exit after closing; run() has recorded it.
            } catch (IllegalStateException stillActive) {
                // A stopper is interrupting or cancelling this context: cancel it here too.
            }
        }
        try {
            context.close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // Cancellation or an exit surfaces again on close; run() has already recorded it.
        }
    }

    private record Outcome(InvocationResult.Status status, int exitCode, String error) {
        static Outcome exited(int code) {
            return new Outcome(InvocationResult.Status.EXITED, code, null);
        }

        static Outcome rejected(String error) {
            return new Outcome(InvocationResult.Status.REJECTED, InvocationResult.Status.REJECTED.exitCode(), error);
        }

        static Outcome trapped(String error) {
            return new Outcome(InvocationResult.Status.TRAPPED, InvocationResult.Status.TRAPPED.exitCode(), error);
        }

        static Outcome timedOut(Duration timeout) {
            return new Outcome(
                    InvocationResult.Status.TIMED_OUT,
                    InvocationResult.Status.TIMED_OUT.exitCode(),
                    "timed out after " + format(timeout));
        }
    }

    private Outcome run(Context context, LinkedModule module, Invocation invocation) {
        var state = new AtomicInteger(RUNNING);
        ScheduledFuture<?> timer = watchdog.schedule(
                () -> stoppers.execute(() -> stop(context, state)),
                invocation.limits().timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        boolean instantiated = false;
        try {
            var exports = new HashMap<String, Value>();
            for (LinkedModule.Part part : module.parts()) {
                Value parsed = context.eval(part.source());
                Value instance;
                if (part.links().isEmpty()) {
                    instance = parsed.newInstance();
                } else {
                    var imports = new LinkedHashMap<String, Object>();
                    part.links().forEach((name, key) -> imports.put(name, exports.get(key)));
                    instance = parsed.newInstance(ProxyObject.fromMap(imports));
                }
                exports.put(part.key(), instance.getMember("exports"));
            }
            instantiated = true;
            exports.get(module.entryPart().key())
                    .getMember(invocation.entrypoint())
                    .executeVoid();
            return Outcome.exited(0);
        } catch (PolyglotException e) {
            if (e.isExit()) {
                return Outcome.exited(e.getExitStatus());
            }
            if (state.get() == TIMED_OUT || e.isCancelled() || e.isInterrupted()) {
                return Outcome.timedOut(invocation.limits().timeout());
            }
            if (e.isHostException() && e.asHostException() instanceof UncheckedIOException io) {
                return Outcome.trapped(
                        "writing guest output failed: " + io.getCause().getMessage());
            }
            if (!instantiated && !e.isResourceExhausted()) {
                return Outcome.rejected("instantiating " + module.entryPart().name() + " failed: " + e.getMessage());
            }
            return Outcome.trapped(e.getMessage());
        } finally {
            timer.cancel(false);
            if (!state.compareAndSet(RUNNING, DONE)) {
                state.set(TIMED_OUT_DONE);
            }
        }
    }

    /**
     * Runs on a stopper thread once the timeout has passed: interrupt the guest and, if it has not finished within the
     * grace period (an interrupt that lands while the module is still being instantiated can be absorbed), cancel
     * its context. Either way the invoking thread returns.
     */
    private static void stop(Context context, AtomicInteger state) {
        if (!state.compareAndSet(RUNNING, TIMED_OUT)) {
            return;
        }
        try {
            context.interrupt(INTERRUPT_GRACE);
        } catch (TimeoutException | IllegalStateException e) {
            // Not stopped in time, or already closing: cancellation below settles both.
        }
        if (state.get() == TIMED_OUT) {
            try {
                context.close(true);
            } catch (IllegalStateException | PolyglotException alreadyClosed) {
                // The invocation finished and closed its context meanwhile.
            }
        }
    }

    private Context newContext(Invocation invocation, BoundedOutput stdout, BoundedOutput stderr) {
        var argv = new String[invocation.args().size() + 1];
        argv[0] = invocation.module().name();
        for (int i = 0; i < invocation.args().size(); i++) {
            argv[i + 1] = invocation.args().get(i);
        }
        var builder = Context.newBuilder("wasm")
                .engine(engine)
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .arguments("wasm", argv)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .environment(invocation.env())
                .in(invocation.stdin() == null ? InputStream.nullInputStream() : invocation.stdin())
                .out(stdout)
                .err(stderr)
                .allowHostAccess(HostAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false);
        if (invocation.mounts().isEmpty()) {
            builder.allowIO(IOAccess.NONE);
        } else {
            builder.allowIO(IOAccess.newBuilder()
                            .fileSystem(new MountFileSystem(invocation.mounts()))
                            .build())
                    .option(
                            "wasm.WasiMapDirs",
                            invocation.mounts().stream()
                                    .map(m -> m.guest() + "::"
                                            + m.host().toAbsolutePath().normalize())
                                    .collect(Collectors.joining(",")));
        }
        return builder.build();
    }

    private LinkedModule link(Invocation invocation, Function<Cid, byte[]> fetch) {
        var explicit = new LinkedHashMap<String, byte[]>();
        var explicitCids = new LinkedHashMap<String, Cid>();
        invocation.importModules().forEach((name, ref) -> {
            byte[] bytes = bytes(ref, fetch);
            explicit.put(name, bytes);
            explicitCids.put(name, cidOf(ref, bytes));
        });
        byte[] entryBytes = invocation.module() instanceof ModuleRef.ByBytes b ? b.bytes() : null;
        Cid entry = cidOf(invocation.module(), entryBytes);
        long pages = invocation.limits().memoryPages();
        var key = new LinkKey(entry, Map.copyOf(explicitCids), pages);
        return linked.get(key, k -> {
            byte[] bytes = entryBytes != null ? entryBytes : bytes(invocation.module(), fetch);
            var graph = new ImportResolver(fetch, maxImportDepth, maxGraphBytes)
                    .resolve(invocation.module().name(), bytes, explicit);
            return LinkedModule.of(entry.toString(), graph, pages, MAX_TABLE_ELEMENTS);
        });
    }

    private static byte[] bytes(ModuleRef ref, Function<Cid, byte[]> fetch) {
        return switch (ref) {
            case ModuleRef.ByBytes b -> b.bytes();
            case ModuleRef.ByCid c -> fetch.apply(c.cid());
        };
    }

    private static Cid cidOf(ModuleRef ref, byte[] bytes) {
        return switch (ref) {
            case ModuleRef.ByBytes b -> Cid.rawOf(b.bytes());
            case ModuleRef.ByCid c -> c.cid();
        };
    }

    private static void checkEntrypoint(LinkedModule module, Invocation invocation) {
        String name = invocation.entrypoint();
        var type = module.entry().exportedFunctionType(name);
        if (type.isEmpty()) {
            String exported = module.entry().exports().stream()
                    .filter(e -> e.kind() == WasmModule.ExternalKind.FUNCTION)
                    .map(WasmModule.Export::name)
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("module " + invocation.module().name()
                    + " has no exported function \"" + name + "\" (it exports: "
                    + (exported.isEmpty() ? "no functions" : exported) + ")");
        }
        if (!type.get().params().isEmpty() || !type.get().results().isEmpty()) {
            throw new IllegalArgumentException("entrypoint \"" + name + "\" of module "
                    + invocation.module().name() + " has type " + type.get()
                    + "; it must take no parameters and return nothing");
        }
    }

    private static InvocationResult result(
            Outcome outcome, BoundedOutput stdout, BoundedOutput stderr, String cid, PhaseClock clock) {
        return new InvocationResult(
                outcome.status(),
                outcome.exitCode(),
                outcome.error(),
                stdout.bytes(),
                stdout.truncated(),
                stderr.bytes(),
                stderr.truncated(),
                cid,
                clock.total(),
                clock.timing());
    }

    private static String format(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Closes the engine; invocations still running are cancelled. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        stoppers.shutdownNow();
        engine.close(true);
    }

    /** Configures a {@link WasmRuntime}; not thread-safe. */
    public static final class Builder {
        private Function<Cid, byte[]> modules = cid -> {
            throw new ModuleNotFoundException("no module registry is configured, so " + cid + " cannot be fetched");
        };
        private long linkCacheBytes = 512L << 20;
        private int maxImportDepth = 16;
        private long maxGraphBytes = 256L << 20;

        private Builder() {}

        /** Where modules named by CID come from: a function returning verified bytes (e.g. a ModuleRegistry). */
        public Builder modules(Function<Cid, byte[]> fetch) {
            this.modules = Objects.requireNonNull(fetch);
            return this;
        }

        /** Bound of the linked-module cache, weighed by module bytes. Default 512 MiB. */
        public Builder linkCacheBytes(long bytes) {
            this.linkCacheBytes = bytes;
            return this;
        }

        /** Longest import chain below an entry module. Default 16. */
        public Builder maxImportDepth(int depth) {
            this.maxImportDepth = depth;
            return this;
        }

        /** Largest summed size of an import graph. Default 256 MiB. */
        public Builder maxGraphBytes(long bytes) {
            this.maxGraphBytes = bytes;
            return this;
        }

        public WasmRuntime build() {
            return new WasmRuntime(this);
        }
    }
}
