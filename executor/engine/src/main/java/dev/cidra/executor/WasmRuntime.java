package dev.cidra.executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ImportResolver;
import dev.cidra.registry.ModuleNotFoundException;
import dev.cidra.registry.RegistryException;
import dev.cidra.registry.WasmModule;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Engine;

/**
 * Runs WASI preview 1 modules on GraalWasm, with the project's own {@link WasiPreview1} as the host. One runtime per process: it owns the shared {@link Engine} (compiled code
 * is shared by every invocation) and a Caffeine cache of linked modules keyed by entry CID, import modules and memory
 * limit, so a hot module is never fetched, verified, parsed or linked again.
 *
 * <p>Guarantees: {@link #invoke} is thread-safe and may run on many threads at once. Every invocation gets a fresh
 * context: no file descriptor, memory, global, argument or environment variable survives into the next. A guest that
 * traps, loops, floods its output or exhausts its memory ends its own invocation with a result saying so; the runtime
 * stays usable. A hot module's contexts are instantiated ahead, off the call path ({@link Builder#contextPool}); each
 * still serves one invocation only. Guests get no host access, no threads, no processes, no native access, no network and no file
 * system beyond their mounts; writes to those draw on the invocation's disk quota ({@link Limits#diskBytes()}).
 */
public final class WasmRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WasmRuntime.class.getName());
    /** Tables may not grow past this many elements (a table without a declared maximum would grow on the heap). */
    static final long MAX_TABLE_ELEMENTS = 1 << 20;

    private final Engine engine;
    private final RuntimeMode mode;
    private final Function<Cid, byte[]> modules;
    private final int maxImportDepth;
    private final long maxGraphBytes;
    private final Cache<LinkKey, LinkedModule> linked;
    private final ContextPool pool;
    private final ScheduledExecutorService watchdog;
    private final ExecutorService stoppers;
    private final Clock wall;
    private final LongSupplier ticker;

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
        this.wall = builder.wall;
        this.ticker = builder.ticker;
        this.pool = new ContextPool(engine, builder.pooledPerModule, builder.poolBytes, ticker);
        this.linked = Caffeine.newBuilder()
                .maximumWeight(builder.linkCacheBytes)
                .<LinkKey, LinkedModule>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, value.weight()))
                .<LinkKey, LinkedModule>removalListener((key, value, cause) -> {
                    if (value != null) {
                        pool.discard(value);
                    }
                })
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

    /** The pool of pre-instantiated contexts' counters now. */
    public ContextPoolStats contextPoolStats() {
        return pool.stats();
    }

    /**
     * Runs one invocation to its end on the calling thread. Never throws for anything the module or its inputs do:
     * fetch, verification, link and entrypoint problems give {@link InvocationResult.Status#REJECTED}, traps
     * {@link InvocationResult.Status#TRAPPED}, the timeout {@link InvocationResult.Status#TIMED_OUT}.
     */
    public InvocationResult invoke(Invocation invocation) {
        var clock = new PhaseClock(modules, ticker);
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
            return result(GuestRun.Outcome.rejected(e.getMessage()), stdout, stderr, entryCid, clock);
        }
        clock.linked();
        GuestRun run;
        try {
            run = new GuestRun(invocation, entryCid, stdout, stderr, wall, ticker);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            clock.ran();
            return result(GuestRun.Outcome.rejected(e.getMessage()), stdout, stderr, entryCid, clock);
        }
        GuestRun.Outcome outcome = run.run(module, pool.take(module), engine, watchdog, stoppers);
        clock.ran();
        return result(outcome, stdout, stderr, entryCid, clock);
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
            GuestRun.Outcome outcome, BoundedOutput stdout, BoundedOutput stderr, String cid, PhaseClock clock) {
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

    /** Closes the engine; invocations still running are cancelled. */
    @Override
    public void close() {
        pool.close();
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
        private int pooledPerModule = 2;
        private long poolBytes = 64L << 20;
        private Clock wall = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;

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

        /**
         * Pre-instantiated contexts: how many to keep ready per hot module (0: none), and the bound of their memory in
         * bytes (each is charged its modules' initial memories and 64 KiB). A module is hot from its second
         * invocation; each pooled context serves one invocation. Default 2 per module, 64 MiB.
         */
        public Builder contextPool(int perModule, long maxBytes) {
            if (perModule < 0 || maxBytes < 0) {
                throw new IllegalArgumentException(
                        "context pool: negative size " + perModule + " or bound " + maxBytes);
            }
            this.pooledPerModule = perModule;
            this.poolBytes = maxBytes;
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

        /** The wall clock guests read as WASI's realtime clock (not in deterministic mode). Default: UTC system clock. */
        public Builder clock(Clock value) {
            this.wall = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Nanosecond ticker for phase timings and WASI's monotonic clock (not in deterministic mode). Default:
         * {@link System#nanoTime}.
         */
        public Builder ticker(LongSupplier value) {
            this.ticker = Objects.requireNonNull(value);
            return this;
        }

        public WasmRuntime build() {
            return new WasmRuntime(this);
        }
    }
}
