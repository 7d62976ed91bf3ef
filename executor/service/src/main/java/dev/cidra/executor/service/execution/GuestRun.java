package dev.cidra.executor.service.execution;

import dev.cidra.contract.Deterministic;
import dev.cidra.contract.RecordTracing;
import dev.cidra.executor.Invocation;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.Limits;
import dev.cidra.executor.ModuleRef;
import dev.cidra.executor.Mount;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Runs one guest: the use case a synchronous request, a job and a trigger record share. The caller names the modules
 * by CID ({@link Modules#parse}), describes the rest ({@link Guest}), and reads the outcome from the engine's
 * {@link InvocationResult} ({@link #failure} says whether and why it failed). The guest runs in one of the node's
 * {@linkplain Guests guest slots}. Thread-safe.
 */
@Singleton
public class GuestRun {
    private final Guests guests;
    private final RecordTracing tracing;
    private final PhaseTimers phases;

    GuestRun(Guests guests, RecordTracing tracing, PhaseTimers phases) {
        this.guests = guests;
        this.tracing = tracing;
        this.phases = phases;
    }

    /** The modules a guest links, parsed from the CIDs a request names; imports keep their order. */
    public record Modules(ModuleRef entry, Map<String, ModuleRef> imports) {
        /**
         * @param moduleCid the entry module's CID; null leaves the entry null, for the caller to set from a module
         *     it fetched itself
         * @param importModules import module name to the CID linked for it
         * @throws InvalidCidException if a CID does not parse
         */
        public static Modules parse(String moduleCid, Map<String, String> importModules) throws InvalidCidException {
            var entry = moduleCid == null ? null : ModuleRef.of(Cid.parse(moduleCid));
            var imports = new LinkedHashMap<String, ModuleRef>();
            for (Map.Entry<String, String> module : importModules.entrySet()) {
                imports.put(module.getKey(), ModuleRef.of(Cid.parse(module.getValue())));
            }
            return new Modules(entry, imports);
        }
    }

    /**
     * One guest to run. The stdin array must not be modified.
     *
     * @param args guest arguments after argv[0]
     * @param env the guest's whole environment
     * @param stdin all the guest reads on fd 0
     * @param mounts its preopened directories
     * @param limits from {@link #limits}, or narrowed from them
     * @param deterministic how to run it deterministically; null for live entropy
     * @param stop stops the guest when it completes (a job's cancellation); null for none
     */
    public record Guest(
            Modules modules,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            byte[] stdin,
            List<Mount> mounts,
            Limits limits,
            Deterministic deterministic,
            CompletionStage<?> stop) {

        /** A guest run with live entropy, stopped by nothing but its timeout. */
        public Guest(
                Modules modules,
                String entrypoint,
                List<String> args,
                Map<String, String> env,
                byte[] stdin,
                List<Mount> mounts,
                Limits limits) {
            this(modules, entrypoint, args, env, stdin, mounts, limits, null, null);
        }

        /**
         * @throws IllegalArgumentException if two mounts share a guest path
         */
        Invocation invocation() {
            var invocation = Invocation.builder(modules.entry())
                    .entrypoint(entrypoint)
                    .args(args)
                    .env(env)
                    .stdin(new ByteArrayInputStream(stdin))
                    .limits(limits)
                    .stop(stop);
            if (deterministic != null) {
                invocation.deterministic(true).randomSeed(deterministic.randomSeed());
            }
            modules.imports().forEach(invocation::importModule);
            mounts.forEach(invocation::mount);
            return invocation.build();
        }
    }

    /** The node's output caps with a request's memory and time caps. */
    public Limits limits(long memoryBytes, long timeoutMillis) {
        return guests.limits(memoryBytes, Duration.ofMillis(timeoutMillis));
    }

    /**
     * Runs the guest in a {@code cidra.run} span under the current one (failed unless the guest exited), then records
     * its engine phases under {@code kind}, the fetch phase including {@code inputFetch}.
     *
     * @param inputFetch time already spent fetching the run's inputs; zero when it has none
     * @throws IllegalStateException if interrupted while waiting for a guest slot (the flag is kept; nothing ran)
     * @throws IllegalArgumentException if two mounts share a guest path
     */
    public InvocationResult run(Guest guest, PhaseTimers.Kind kind, Duration inputFetch) {
        Invocation invocation = guest.invocation();
        InvocationResult result;
        try (var step = tracing.step("cidra.run")) {
            result = guests.run(invocation);
            if (result.status() != InvocationResult.Status.EXITED) {
                step.fail(result.status() + ": " + result.error());
            }
        }
        phases.recordEngine(kind, result.timing(), inputFetch);
        return result;
    }

    /**
     * Runs the guest, neither traced nor timed (trigger records, whose runs are not traced yet).
     *
     * @throws IllegalStateException if interrupted while waiting for a guest slot (the flag is kept; nothing ran)
     */
    public InvocationResult runUntraced(Guest guest) {
        return guests.run(guest.invocation());
    }

    /**
     * Why a run failed, or null when its guest exited with code 0: {@code the guest exited with code N} for another
     * exit code, else the engine's error (the status's name if it gave none).
     */
    public static String failure(InvocationResult result) {
        if (result.status() != InvocationResult.Status.EXITED) {
            return Objects.requireNonNullElse(result.error(), result.status().name());
        }
        return result.exitCode() == 0 ? null : "the guest exited with code " + result.exitCode();
    }
}
