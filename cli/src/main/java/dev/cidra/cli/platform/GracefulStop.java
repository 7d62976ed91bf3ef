package dev.cidra.cli.platform;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a component's process: SIGTERM, then SIGKILL if it has not exited within {@link #STOP_GRACE}. */
final class GracefulStop {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private GracefulStop() {}

    /**
     * Stops {@code process} and says how on {@code report}.
     *
     * @throws IllegalStateException if it is still alive after SIGKILL
     */
    static void stop(Replica component, ProcessHandle process, PrintWriter report) throws InterruptedException {
        if (!process.isAlive()) {
            report.println(component.id() + ": had exited (pid " + process.pid() + ")");
            return;
        }
        long start = System.nanoTime();
        process.destroy();
        if (awaitExit(process, STOP_GRACE)) {
            report.println(
                    component.id() + ": stopped in " + Elapsed.millisSince(start) + " ms (pid " + process.pid() + ")");
            return;
        }
        process.destroyForcibly();
        if (!awaitExit(process, KILL_WAIT)) {
            throw new IllegalStateException(component.id() + ": pid " + process.pid() + " is still alive "
                    + KILL_WAIT.toSeconds() + " s after SIGKILL");
        }
        report.println(component.id() + ": killed (pid " + process.pid() + " did not stop within "
                + STOP_GRACE.toSeconds() + " s of SIGTERM)");
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + process.pid() + " failed", e.getCause());
        }
    }
}
