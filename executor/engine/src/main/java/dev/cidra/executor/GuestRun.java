package dev.cidra.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;

/**
 * One invocation's run of a linked module: its own {@link WasiPreview1} (argv, environment, streams, mounts, entropy)
 * bound to a fresh {@link PreparedContext} that no other invocation has used or will use, and the timeout: interrupt
 * first, then cancel. Used once, on the invoking thread; the watchdog's stop comes from a stopper thread.
 */
final class GuestRun {
    /** How long an interrupted guest gets to stop before its context is cancelled. */
    private static final Duration INTERRUPT_GRACE = Duration.ofMillis(250);

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;
    private static final int TIMED_OUT_DONE = 3;
    private static final int STOPPED = 4;

    record Outcome(InvocationResult.Status status, int exitCode, String error) {
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

        static Outcome stopped() {
            return new Outcome(
                    InvocationResult.Status.STOPPED,
                    InvocationResult.Status.STOPPED.exitCode(),
                    "stopped by its caller before it ended");
        }
    }

    private final Invocation invocation;
    private final WasiPreview1 wasi;
    /** The context this run uses once it has one; read by the stopper thread. */
    private volatile PreparedContext prepared;

    private final AtomicInteger state = new AtomicInteger(RUNNING);

    /**
     * Prepares the run: checks the mounts, counts what the writable ones already hold against the disk quota, builds
     * the WASI state.
     *
     * @throws IllegalArgumentException for a mount that is not a directory
     * @throws UncheckedIOException for a mount that cannot be read
     */
    GuestRun(
            Invocation invocation,
            String entryCid,
            OutputStream stdout,
            OutputStream stderr,
            Clock wall,
            LongSupplier ticker) {
        this.invocation = invocation;
        var quota = new DiskQuota(
                invocation.limits().diskBytes(), invocation.limits().diskFiles());
        var roots = new ArrayList<Descriptor.Root>();
        var guestPaths = new ArrayList<String>();
        for (Mount m : invocation.mounts()) {
            if (!Files.isDirectory(m.host())) {
                throw new IllegalArgumentException(
                        "mount " + m.host() + " at " + m.guest() + ": host path is not a directory");
            }
            try {
                Path real = m.host().toRealPath();
                if (m.writable()) {
                    quota.count(real);
                }
                roots.add(new Descriptor.Root(real, m.writable(), m.writable() ? quota : null));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "mount " + m.host() + " at " + m.guest() + ": host directory is not accessible", e);
            }
            guestPaths.add(m.guest());
        }
        refuseOverlaps(roots, invocation.mounts());
        var argv = new ArrayList<String>();
        argv.add(invocation.module().name());
        argv.addAll(invocation.args());
        Entropy entropy = invocation.deterministic()
                ? Entropy.deterministic(seed(invocation, entryCid))
                : Entropy.live(wall, ticker);
        InputStream stdin = invocation.stdin() == null ? InputStream.nullInputStream() : invocation.stdin();
        this.wasi = new WasiPreview1(argv, invocation.env(), stdin, stdout, stderr, roots, guestPaths, entropy);
    }

    /**
     * Refuses a writable mount whose host directory holds another mount's: each descriptor is confined to its own
     * mount, so the outer one would let the guest change what the inner one shows (a read-only mount, or another
     * quota's files).
     */
    private static void refuseOverlaps(List<Descriptor.Root> roots, List<Mount> mounts) {
        for (int i = 0; i < roots.size(); i++) {
            for (int j = 0; j < roots.size(); j++) {
                if (i != j
                        && roots.get(i).writable()
                        && roots.get(j).host().startsWith(roots.get(i).host())) {
                    throw new IllegalArgumentException("mount " + mounts.get(i).host() + " at "
                            + mounts.get(i).guest()
                            + " is read-write and holds the host directory of mount "
                            + mounts.get(j).host() + " at "
                            + mounts.get(j).guest() + ": a read-write mount may not overlap another");
                }
            }
        }
    }

    /**
     * The random seed of a deterministic invocation: the explicit one, else the first 8 bytes of SHA-256 over the
     * entry module's CID, the arguments and the environment (sorted by name). Stdin, mounts and import modules named
     * explicitly are not part of it.
     */
    static long seed(Invocation invocation, String entryCid) {
        if (invocation.randomSeed() != null) {
            return invocation.randomSeed();
        }
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            var text = new StringBuilder(entryCid).append('\0');
            invocation.args().forEach(a -> text.append(a).append('\0'));
            new TreeMap<>(invocation.env())
                    .forEach((k, v) -> text.append(k).append('=').append(v).append('\0'));
            byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) | (hash[i] & 0xFF);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Binds this run's WASI to {@code pooled} (a context instantiated ahead, never used) or, when that is null, to a
     * context built and instantiated here; calls the entrypoint under the invocation's timeout; then closes everything.
     */
    Outcome run(
            LinkedModule module,
            PreparedContext pooled,
            Engine engine,
            ScheduledExecutorService watchdog,
            ExecutorService stoppers) {
        ScheduledFuture<?> timer = watchdog.schedule(
                () -> stoppers.execute(() -> stop(TIMED_OUT)),
                invocation.limits().timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        if (invocation.stop() != null) {
            invocation.stop().thenRun(() -> stoppers.execute(() -> stop(STOPPED)));
        }
        Outcome outcome = null;
        try {
            outcome = instantiateAndCall(module, pooled, engine);
            return outcome;
        } finally {
            timer.cancel(false);
            if (!state.compareAndSet(RUNNING, DONE)) {
                state.set(TIMED_OUT_DONE);
            }
            wasi.closeAll();
            close(outcome != null && outcome.status() == InvocationResult.Status.EXITED);
        }
    }

    private Outcome instantiateAndCall(LinkedModule module, PreparedContext pooled, Engine engine) {
        boolean instantiated = false;
        try {
            PreparedContext context = pooled != null ? pooled : new PreparedContext(engine);
            prepared = context;
            if (state.get() == TIMED_OUT) {
                return Outcome.timedOut(invocation.limits().timeout());
            }
            context.bind(wasi);
            if (!context.instantiated()) {
                context.instantiate(module);
            }
            instantiated = true;
            context.export(module, invocation.entrypoint()).executeVoid();
            return Outcome.exited(0);
        } catch (PolyglotException e) {
            if (e.isHostException() && e.asHostException() instanceof WasiPreview1.Exit exit) {
                return Outcome.exited(exit.code);
            }
            if (e.isExit()) {
                return Outcome.exited(e.getExitStatus());
            }
            if (state.get() == STOPPED) {
                return Outcome.stopped();
            }
            if (state.get() == TIMED_OUT
                    || e.isCancelled()
                    || e.isInterrupted()
                    || (e.isHostException() && e.asHostException() instanceof WasiPreview1.Stopped)) {
                return Outcome.timedOut(invocation.limits().timeout());
            }
            if (e.isHostException() && e.asHostException() instanceof WasiPreview1.Misuse misuse) {
                return Outcome.trapped(misuse.getMessage());
            }
            if (e.isHostException()) {
                return Outcome.trapped("host error: " + e.asHostException());
            }
            if (!instantiated && !e.isResourceExhausted()) {
                return Outcome.rejected("instantiating " + module.entryPart().name() + " failed: " + e.getMessage());
            }
            return Outcome.trapped(e.getMessage());
        }
    }

    /**
     * Runs on a stopper thread once the timeout has passed ({@code why} {@link #TIMED_OUT}) or the invocation's stop
     * signal completed ({@link #STOPPED}), whichever comes first: stop the guest's host calls, interrupt the guest and,
     * if it has not finished within the grace period (an interrupt that lands while the module is still being
     * instantiated can be absorbed), cancel its context. Either way the invoking thread returns.
     */
    private void stop(int why) {
        if (!state.compareAndSet(RUNNING, why)) {
            return;
        }
        wasi.stop();
        PreparedContext context = prepared;
        if (context == null) {
            return; // run() has no context yet: it sees TIMED_OUT as soon as it has one.
        }
        try {
            context.context().interrupt(INTERRUPT_GRACE);
        } catch (TimeoutException | IllegalStateException e) {
            // Not stopped in time, or already closing: cancellation below settles both.
        }
        if (state.get() == why) {
            try {
                context.context().close(true);
            } catch (IllegalStateException | PolyglotException alreadyClosed) {
                // The invocation finished and closed its context meanwhile.
            }
        }
    }

    /**
     * Closes the context: gently when the guest exited (cheaper than cancelling), by cancelling otherwise or when a
     * stopper thread is still working on it. Never throws.
     */
    private void close(boolean exited) {
        PreparedContext used = prepared;
        if (used == null) {
            return;
        }
        Context context = used.context();
        if (exited) {
            try {
                context.close();
                return;
            } catch (PolyglotException exit) {
                return; // close() rethrows a guest's exit after closing; run() has recorded it.
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

    static String format(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
