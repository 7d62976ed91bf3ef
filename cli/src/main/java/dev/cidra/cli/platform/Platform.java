package dev.cidra.cli.platform;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Starts, stops and reports the local platform of one {@link PlatformHome}. {@link #up} and {@link #down} hold the
 * home's lock, so two of them never act on one home at once; {@link #status} only reads. Progress goes to {@code err},
 * results to {@code out}. A process is only ever signalled after {@link PidFile} has confirmed it is the one {@code up}
 * started. Starting and stopping one process are {@link ChildJvm}, {@link ReadinessWait} and {@link GracefulStop};
 * this class is the platform's bookkeeping: which components run, in which order they start and stop, and what is
 * recorded in the home.
 */
final class Platform {
    private final PlatformHome home;
    private final PrintWriter out;
    private final PrintWriter err;

    /** Whether {@code err} ends in an unfinished "starting ..." line. */
    private volatile boolean lineOpen;

    Platform(PlatformHome home, PrintWriter out, PrintWriter err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    /** The platform of {@code home}, reporting to {@code command}'s out and err. */
    static Platform of(PlatformHome home, CommandSpec command) {
        return new Platform(
                home, command.commandLine().getOut(), command.commandLine().getErr());
    }

    /** Work on a started platform that {@link #up} waits for before it says the platform is up. */
    @FunctionalInterface
    interface Warmup {
        void run(Ports ports, PrintWriter err) throws IOException, InterruptedException;
    }

    /** A component's pid file and, if that process is still the recorded one, the process. */
    private record Recorded(PidFile pidFile, Optional<ProcessHandle> process) {}

    /** The replicas with a pid file, in {@link Replica#START_ORDER}. */
    private Map<Replica, Recorded> recorded() throws IOException {
        var recorded = new TreeMap<Replica, Recorded>(Replica.START_ORDER);
        for (Replica replica : home.recordedReplicas()) {
            Optional<PidFile> pidFile = PidFile.read(home.pidFile(replica));
            if (pidFile.isPresent()) {
                recorded.put(replica, new Recorded(pidFile.get(), pidFile.get().find(home.marker(replica))));
            }
        }
        return recorded;
    }

    private static Set<Replica> running(Map<Replica, Recorded> recorded) {
        return recorded.entrySet().stream()
                .filter(entry -> entry.getValue().process().isPresent())
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(() -> new TreeSet<>(Replica.START_ORDER)));
    }

    /**
     * Starts the platform's services in order, each once the previous one is ready. If all of them already run it says
     * so and starts nothing. If some run (another crashed or was killed), it starts the missing ones on the ports the
     * platform was started with (and with as many gateways and executors). If a component fails to start or get ready, the ones started by this call are stopped
     * and the message names the component and ends with the tail of its log.
     *
     * @param requested the ports to use when nothing runs
     * @param plan the services to run on given ports, in start order
     * @param notes lines printed before starting, e.g. why a component is left out
     * @param warmup what runs once every service is ready, when a gateway or an executor was among those started:
     *     given the ports, it warms the request path before this says the platform is up
     * @return the exit code: 0 when the platform runs
     * @throws IllegalStateException if a port is taken, a component fails, or the warm-up fails (the platform is left
     *     running then)
     */
    int up(Ports requested, Function<Ports, List<Service>> plan, List<String> notes, Warmup warmup)
            throws IOException, InterruptedException {
        try (Closeable lock = home.lock()) {
            var recorded = recorded();
            Set<Replica> running = running(recorded);
            boolean partial = !running.isEmpty();
            Ports ports = partial ? Ports.load(home.portsFile()) : requested;
            if (partial && (ports.executors() != requested.executors() || ports.gateways() != requested.gateways())) {
                err.println("cidra: the platform was started with " + ports.gateways() + " gateway(s) and "
                        + ports.executors() + " executor(s) and keeps them; `cidra down` first to change them");
            }
            List<Service> missing = plan.apply(ports).stream()
                    .filter(service -> !running.contains(service.replica()))
                    .toList();
            if (missing.isEmpty()) {
                err.println("cidra: the platform is already running (" + home + "); `cidra down` stops it");
                printEndpoints(ports, running);
                return 0;
            }
            for (Replica replica : recorded.keySet()) {
                if (!running.contains(replica)) {
                    Files.delete(home.pidFile(replica));
                }
            }
            Set<Replica> starting = missing.stream()
                    .map(Service::replica)
                    .collect(Collectors.toCollection(() -> new TreeSet<>(Replica.START_ORDER)));
            Ports.requireFree(ports.byOption(starting));
            notes.forEach(err::println);
            if (partial) {
                err.println("cidra: " + ids(running) + " already running; starting " + ids(starting)
                        + " on the ports the platform was started with");
            } else {
                ports.store(home.portsFile());
            }
            startAll(missing, !partial);
            Set<Component> started = components(starting);
            starting.addAll(running);
            if ((started.contains(Component.GATEWAY) || started.contains(Component.EXECUTOR))
                    && components(starting).containsAll(EnumSet.of(Component.GATEWAY, Component.EXECUTOR))) {
                warmup.run(ports, err);
            }
            out.println("The Cidra platform is up.");
            printEndpoints(ports, starting);
            out.println("Stop it with `cidra down`.");
            return 0;
        }
    }

    /**
     * Starts every service or, failing that, stops those it started, removes the ports file if {@code ownsPortsFile},
     * and rethrows.
     */
    private void startAll(List<Service> services, boolean ownsPortsFile) throws IOException, InterruptedException {
        var started = new Started();
        // Ctrl-C while starting: stop what was started instead of leaving it running unrecorded by anyone's terminal.
        var hook = new Thread(started::stopAllOnShutdown, "cidra-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean complete = false;
        try {
            for (Service service : services) {
                start(service, started);
            }
            complete = true;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran) and stops the processes.
            }
            if (!complete) {
                started.stopAll();
                if (ownsPortsFile) {
                    Files.deleteIfExists(home.portsFile());
                }
            }
        }
    }

    private void start(Service service, Started started) throws IOException, InterruptedException {
        Replica component = service.replica();
        service.prepare(err);
        err.print(component.id() + ": starting ... ");
        err.flush();
        lineOpen = true;
        long start = System.nanoTime();
        try {
            var arguments = new ArrayList<String>();
            arguments.add(home.marker(component));
            arguments.addAll(service.jvmArguments());
            Process process = ChildJvm.startDetached(arguments, home.dir(), home.log(component));
            started.add(component, process);
            ReadinessWait.await(service, process, home.log(component), start, progress -> {
                err.print(progress + " ... ");
                err.flush();
            });
            err.println("ready in " + Elapsed.millisSince(start) + " ms (pid " + process.pid() + ")");
        } catch (IOException | InterruptedException | RuntimeException e) {
            err.println("failed");
            throw e;
        } finally {
            lineOpen = false;
        }
    }

    /**
     * Stops what {@code up} started, last started first: SIGTERM, then SIGKILL if it has not exited within 30 s. Removes
     * the pid files, also of processes that had already exited.
     *
     * @return the exit code: 0, also when nothing was running
     */
    int down() throws IOException, InterruptedException {
        if (!Files.isDirectory(home.runDir())) {
            out.println("cidra: the platform is not running (nothing recorded in " + home + ")");
            return 0;
        }
        try (Closeable lock = home.lock()) {
            var recorded = recorded();
            if (recorded.values().stream().allMatch(r -> r.process().isEmpty())) {
                for (Replica replica : recorded.keySet()) {
                    Files.delete(home.pidFile(replica));
                }
                out.println("cidra: the platform is not running (" + home + ")"
                        + (recorded.isEmpty() ? "" : "; removed stale pid files: " + ids(recorded.keySet())));
            } else {
                for (Replica component : new ArrayList<>(recorded.keySet()).reversed()) {
                    Recorded r = recorded.get(component);
                    if (r.process().isPresent()) {
                        GracefulStop.stop(component, r.process().get(), out);
                    } else {
                        out.println(component.id() + ": was not running (pid "
                                + r.pidFile().pid() + " had exited)");
                    }
                    Files.delete(home.pidFile(component));
                }
            }
            Files.deleteIfExists(home.portsFile());
            return 0;
        }
    }

    private static Set<Component> components(Set<Replica> replicas) {
        return replicas.stream()
                .map(Replica::component)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
    }

    private static String ids(Set<Replica> replicas) {
        return replicas.stream().map(Replica::id).collect(Collectors.joining(", "));
    }

    /**
     * Prints each replica the platform was started with: whether it runs (its pid), its port and, if it runs, whether
     * it is ready (its readiness check); then where each running one listens.
     *
     * @return the exit code: 0
     */
    int status() throws IOException {
        Map<Replica, Recorded> recorded = Files.isDirectory(home.runDir()) ? recorded() : Map.of();
        Set<Replica> running = running(recorded);
        if (running.isEmpty()) {
            out.println("cidra: the platform is not running (" + home + ")");
            return 0;
        }
        Ports ports = Ports.load(home.portsFile());
        var replicas = new TreeSet<Replica>(Replica.START_ORDER);
        replicas.addAll(ports.replicas());
        replicas.addAll(recorded.keySet());
        for (Replica replica : replicas) {
            Recorded r = recorded.get(replica);
            String port = "port " + ports.port(replica);
            String state = r == null
                    ? "not started (" + port + ")"
                    : r.process().isPresent()
                            ? "running (pid " + r.pidFile().pid() + ", " + port + ", " + health(home, ports, replica)
                                    + ")"
                            : "exited (pid " + r.pidFile().pid() + ", " + port + "; see " + home.log(replica) + ")";
            out.printf("%-11s %s%n", replica.id(), state);
        }
        printEndpoints(ports, running);
        return 0;
    }

    /** "ready", or "not ready: " and why. */
    private static String health(PlatformHome home, Ports ports, Replica replica) {
        try (Service.Readiness readiness = replica.component().readiness(home.dir(), ports, replica)) {
            readiness.check();
            return "ready";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not ready: interrupted";
        } catch (Exception e) {
            return "not ready: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void printEndpoints(Ports ports, Set<Replica> replicas) {
        for (Replica replica : replicas) {
            replica.component().endpoints(ports, replica).forEach(out::println);
        }
        out.println("State             " + home + "  (logs in " + home.logsDir() + ")");
    }

    /**
     * The processes one {@code up} has started, so that a failure or Ctrl-C stops them. Thread-safe: the shutdown hook
     * and the starting thread may race; a process added after the hook ran is stopped at once.
     */
    private final class Started {
        private final List<Map.Entry<Replica, Process>> processes = new ArrayList<>();
        private boolean closed;

        /** Records {@code process} here and in its pid file, or stops it if {@link #stopAll} has run. */
        synchronized void add(Replica component, Process process) throws IOException, InterruptedException {
            if (closed) {
                process.destroyForcibly();
                process.waitFor();
                throw new IllegalStateException("cidra is exiting: " + component.id() + " was stopped");
            }
            processes.add(Map.entry(component, process));
            PidFile.of(process.toHandle()).write(home.pidFile(component));
        }

        /** Stops every process started so far, last first, and removes their pid files. */
        synchronized void stopAll() throws IOException, InterruptedException {
            closed = true;
            for (var entry : processes.reversed()) {
                GracefulStop.stop(entry.getKey(), entry.getValue().toHandle(), err);
                Files.deleteIfExists(home.pidFile(entry.getKey()));
            }
            processes.clear();
            err.flush();
        }

        void stopAllOnShutdown() {
            if (lineOpen) {
                err.println("interrupted");
            }
            try {
                stopAll();
                Files.deleteIfExists(home.portsFile());
            } catch (IOException e) {
                err.println("cidra: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
