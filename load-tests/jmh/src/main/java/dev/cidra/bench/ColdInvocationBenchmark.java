package dev.cidra.bench;

import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleRegistry;
import dev.cidra.registry.UnixFs;
import dev.cidra.registry.WasmModule;
import dev.cidra.registry.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Cold invocation in a warm JVM: the first invocation of a ~2 MB module the process has never seen, fetched from a
 * real S3 server (S3Proxy in a child JVM on loopback) through a {@link ModuleRegistry}, verified against its CID,
 * parsed, linked, instantiated and run. Each measured shot runs a different module: {@code big.wasm} with a custom
 * section holding a counter appended, uploaded under its CID before the shot (outside the measured time).
 *
 * <p>{@link #invoke} is the goal (at most 250 ms); {@link #fetchOnly} measures the registry's part of it alone.
 *
 * <p>Needs the system property {@value S3ProxyServer#JAR_PROPERTY} naming the S3Proxy jar; run.sh passes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
@Fork(1)
public class ColdInvocationBenchmark {
    private static final String GUEST = "big.wasm";
    private static final String BUCKET = "cidra-bench";
    private static final String PREFIX = "modules/";
    private static final String SECTION_NAME = "cidra-bench-unique";

    private byte[] big;
    private long modulesMade;
    private S3ProxyServer s3;
    private ModuleRegistry registry;
    private WasmRuntime runtime;
    private Cid unseen;

    @Setup(Level.Trial)
    public void start() throws IOException {
        big = Guests.bytes(GUEST);
        s3 = S3ProxyServer.inMemory();
        try {
            s3.createBucket(BUCKET);
            registry = ModuleRegistry.builder()
                    .store(ContentStore.s3(s3.client(), BUCKET, PREFIX))
                    .build();
            runtime = Jit.requireCompiled(
                    WasmRuntime.builder().modules(registry::fetch).build());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Uploads a module no earlier shot has seen; not measured. */
    @Setup(Level.Invocation)
    public void uploadUnseenModule() {
        byte[] module = withCounterSection(big, ++modulesMade);
        unseen = UnixFs.add(module, 1);
        s3.client().putObject(request -> request.bucket(BUCKET).key(PREFIX + unseen), RequestBody.fromBytes(module));
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (registry != null) {
            registry.close();
        }
        s3.close();
    }

    @Benchmark
    public InvocationResult invoke() {
        return Guests.requireSuccess(
                GUEST, runtime.invoke(Invocation.builder(ModuleRef.of(unseen)).build()));
    }

    @Benchmark
    public byte[] fetchOnly() {
        return registry.fetch(unseen);
    }

    /** {@code module} with a custom section (id 0) appended whose payload is {@code counter}: same code, new CID. */
    static byte[] withCounterSection(byte[] module, long counter) {
        return WasmModule.withCustomSection(
                module,
                SECTION_NAME,
                ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
    }
}
