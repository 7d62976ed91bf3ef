package dev.cidra.cli.platform;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Waits for a started component to be ready, or for it to fail: exited, or not ready in time. */
final class ReadinessWait {
    private static final long POLL_MILLIS = 200;

    private ReadinessWait() {}

    /**
     * Returns once {@code service}'s readiness check passes.
     *
     * @param log the process's log, whose tail the failure messages carry
     * @param start when the process was started ({@link System#nanoTime()})
     * @param progress told each new {@link Service.Readiness#progress()} while the component is not ready
     * @throws IllegalStateException if the process exits first, or is not ready within the service's start timeout
     */
    static void await(Service service, Process process, Path log, long start, Consumer<String> progress)
            throws InterruptedException {
        Replica component = service.replica();
        long timeout = service.startTimeout().toNanos();
        Exception lastFailure = null;
        String lastProgress = null;
        try (Service.Readiness readiness = service.readiness()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(component.id() + " exited with status " + process.exitValue()
                            + " before it was ready; " + LogTail.of(log));
                }
                try {
                    readiness.check();
                    return;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    lastFailure = e;
                }
                String now = readiness.progress();
                if (now != null && !now.equals(lastProgress)) {
                    progress.accept(now);
                    lastProgress = now;
                }
                if (System.nanoTime() - start > timeout) {
                    throw new IllegalStateException(component.id() + " was not ready within "
                            + service.startTimeout().toSeconds() + " s (last check: " + describe(lastFailure) + "); "
                            + LogTail.of(log));
                }
                process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String describe(Exception failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return (message == null || message.isBlank() ? cause.getClass().getSimpleName() : message)
                .replaceAll("\\s+", " ")
                .strip();
    }
}
