package dev.cidra.executor;

import dev.cidra.registry.ImportGraph;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A fresh sandboxed {@link Context} (no host access, no I/O, no threads, no processes, no native access) in which a
 * linked module's graph is instantiated, with every instance's WASI imports going through one {@link
 * WasiPreview1.Binding}. It serves exactly one invocation: {@link #bind} accepts one WASI, once, and the invocation
 * closes the context when it ends. Nothing of an invocation is in it before {@link #bind}: argv, environment, streams,
 * mounts and entropy all live in the bound {@link WasiPreview1}, so the context can be prepared before the invocation
 * exists ({@link ContextPool}).
 */
final class PreparedContext {
    private final Context context;
    private final WasiPreview1.Binding wasi = new WasiPreview1.Binding();
    private final Map<String, Value> exports = new HashMap<>();
    private boolean instantiated;

    /** Builds the context; nothing is instantiated yet. */
    PreparedContext(Engine engine) {
        this.context = Context.newBuilder("wasm")
                .engine(engine)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .in(InputStream.nullInputStream())
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .allowHostAccess(HostAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .build();
    }

    /**
     * Instantiates the module graph in order, each part linked to the exports of the parts it imports and to WASI.
     *
     * @throws org.graalvm.polyglot.PolyglotException if the engine refuses a module or a start function traps
     */
    void instantiate(LinkedModule module) {
        for (LinkedModule.Part part : module.parts()) {
            Value parsed = context.eval(part.source());
            var memory = new GuestMemory();
            var imports = new LinkedHashMap<String, Object>();
            part.links().forEach((name, key) -> imports.put(name, exports.get(key)));
            imports.put(ImportGraph.WASI_MODULE, WasiPreview1.module(wasi, memory));
            Value instanceExports =
                    parsed.newInstance(ProxyObject.fromMap(imports)).getMember("exports");
            memory.bind(instanceExports.getMember("memory"));
            exports.put(part.key(), instanceExports);
        }
        instantiated = true;
    }

    /** Whether {@link #instantiate} completed. */
    boolean instantiated() {
        return instantiated;
    }

    /**
     * Binds the one invocation this context serves.
     *
     * @throws IllegalStateException if it serves one already
     */
    void bind(WasiPreview1 invocation) {
        wasi.bind(invocation);
    }

    /** The entry module's export {@code name}; valid after {@link #instantiate}. */
    Value export(LinkedModule module, String name) {
        return exports.get(module.entryPart().key()).getMember(name);
    }

    Context context() {
        return context;
    }
}
