package dev.cidra.executor;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * One run of a module: what to run, with which WASI arguments, environment, stdin and mounts, under which limits.
 * Build with {@link #builder(ModuleRef)}. Immutable, except that {@link #stdin()} and the sinks are streams the caller
 * owns: an invocation is meant to be run once.
 *
 * @param module the entry module
 * @param entrypoint the exported function to call; it must take no parameters and return nothing
 * @param args guest arguments after argv[0] (argv[0] is the module's name)
 * @param env the guest's whole environment; nothing of the host's is inherited
 * @param stdin read by the guest on fd 0; empty when null
 * @param mounts preopened directories
 * @param importModules modules linked under the given import module names
 * @param limits memory, time and output bounds
 * @param stdoutSink receives stdout as the guest writes it (up to the cap), in addition to the captured copy; may be
 *     null
 * @param stderrSink the same for stderr
 * @param deterministic whether every source of entropy the guest can read is a function of the inputs (clocks from a
 *     fixed epoch advancing a fixed step per read, seeded random bytes, sorted listings, fixed file times and inode
 *     numbers, no real waiting); see RATIONALE.md "What does deterministic mode cover?"
 * @param randomSeed the seed of a deterministic invocation's random bytes; null derives it from the entry module's CID,
 *     the arguments and the environment
 * @param stop when it completes, the guest is stopped the way its timeout stops it, and the invocation ends
 *     {@link InvocationResult.Status#STOPPED}; null means only the timeout stops it
 */
public record Invocation(
        ModuleRef module,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        InputStream stdin,
        List<Mount> mounts,
        Map<String, ModuleRef> importModules,
        Limits limits,
        OutputStream stdoutSink,
        OutputStream stderrSink,
        boolean deterministic,
        Long randomSeed,
        CompletionStage<?> stop) {

    /** The entrypoint WASI commands export. */
    public static final String DEFAULT_ENTRYPOINT = "_start";

    public Invocation {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(limits, "limits");
        args = List.copyOf(args);
        env = Map.copyOf(env);
        mounts = List.copyOf(mounts);
        importModules = Map.copyOf(importModules);
        var guests = new java.util.HashSet<String>();
        for (Mount mount : mounts) {
            if (!guests.add(mount.guest())) {
                throw new IllegalArgumentException("two mounts at guest path " + mount.guest());
            }
        }
    }

    /** An invocation with live (nondeterministic) entropy. */
    public Invocation(
            ModuleRef module,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            InputStream stdin,
            List<Mount> mounts,
            Map<String, ModuleRef> importModules,
            Limits limits,
            OutputStream stdoutSink,
            OutputStream stderrSink) {
        this(
                module,
                entrypoint,
                args,
                env,
                stdin,
                mounts,
                importModules,
                limits,
                stdoutSink,
                stderrSink,
                false,
                null,
                null);
    }

    public static Builder builder(ModuleRef module) {
        return new Builder(module);
    }

    /** Collects an invocation's parts; not thread-safe. */
    public static final class Builder {
        private final ModuleRef module;
        private String entrypoint = DEFAULT_ENTRYPOINT;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private InputStream stdin;
        private final List<Mount> mounts = new ArrayList<>();
        private final Map<String, ModuleRef> importModules = new LinkedHashMap<>();
        private Limits limits = Limits.DEFAULT;
        private OutputStream stdoutSink;
        private OutputStream stderrSink;
        private boolean deterministic;
        private Long randomSeed;
        private CompletionStage<?> stop;

        private Builder(ModuleRef module) {
            this.module = module;
        }

        public Builder entrypoint(String name) {
            this.entrypoint = name;
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        public Builder stdin(InputStream in) {
            this.stdin = in;
            return this;
        }

        public Builder mount(Mount mount) {
            mounts.add(mount);
            return this;
        }

        public Builder importModule(String name, ModuleRef ref) {
            importModules.put(name, ref);
            return this;
        }

        public Builder limits(Limits value) {
            this.limits = value;
            return this;
        }

        public Builder stdoutSink(OutputStream out) {
            this.stdoutSink = out;
            return this;
        }

        public Builder stderrSink(OutputStream out) {
            this.stderrSink = out;
            return this;
        }

        /** Runs the guest in deterministic mode (see {@link Invocation#deterministic()}). */
        public Builder deterministic(boolean value) {
            this.deterministic = value;
            return this;
        }

        /** The seed of a deterministic run's random bytes; implies nothing unless {@link #deterministic} is set. */
        public Builder randomSeed(Long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Stops the guest when {@code signal} completes (see {@link Invocation#stop()}). */
        public Builder stop(CompletionStage<?> signal) {
            this.stop = signal;
            return this;
        }

        public Invocation build() {
            return new Invocation(
                    module,
                    entrypoint,
                    args,
                    env,
                    stdin,
                    mounts,
                    importModules,
                    limits,
                    stdoutSink,
                    stderrSink,
                    deterministic,
                    randomSeed,
                    stop);
        }
    }
}
