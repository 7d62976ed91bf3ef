package dev.cidra.load.chaos;

import java.io.IOException;
import java.time.Duration;

/**
 * A fault the suite injects while the load runs, and how the platform is brought back: a process killed with SIGKILL
 * and started again by {@code cidra up}, S3Proxy killed for a while, or S3Proxy slowed down. Each records when it
 * struck and when the recovery began, relative to which the suite measures the calls.
 */
enum Fault {
    /**
     * The executor owning the most request partitions killed while the other runs; {@code up} starts it again after
     * the outage.
     */
    EXECUTOR_WITH_ANOTHER_ALIVE("SIGKILL the executor owning the most request partitions (the other alive), restart") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            String victim = platform.busiestExecutor();
            long struck = System.nanoTime();
            platform.kill(victim);
            LocalPlatform.pause(outage);
            return restart(platform, struck);
        }
    },
    /**
     * Both executors killed; {@code up} starts them again at once: the platform has no executor until then, as when a
     * lone executor restarts.
     */
    EVERY_EXECUTOR("SIGKILL both executors (none alive, as a lone executor's restart), restart at once") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            long struck = System.nanoTime();
            for (int n = 1; n <= LocalPlatform.EXECUTORS; n++) {
                platform.kill(LocalPlatform.id("executor", n));
            }
            return restart(platform, struck);
        }
    },
    /** One gateway killed; calls sent to it fail until {@code up} starts it again. */
    GATEWAY("SIGKILL gateway-2, restart") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            long struck = System.nanoTime();
            platform.kill(LocalPlatform.id("gateway", 2));
            LocalPlatform.pause(outage);
            return restart(platform, struck);
        }
    },
    /** The single broker killed; {@code up} starts it again at once. */
    BROKER("SIGKILL the Kafka broker, restart at once") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            long struck = System.nanoTime();
            platform.kill("kafka");
            return restart(platform, struck);
        }
    },
    /** S3Proxy killed for the outage, then started again. */
    S3_OUTAGE("S3Proxy killed, restarted after the outage") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            long struck = System.nanoTime();
            platform.kill("s3proxy");
            LocalPlatform.pause(outage);
            return restart(platform, struck);
        }
    },
    /**
     * S3Proxy answering late for the outage: stopped (SIGSTOP) for {@link #SLOW_S3_DELAY} at a time with a 100 ms
     * break (SIGCONT) in between, so a request waits up to that long for its answer.
     */
    SLOW_S3("S3Proxy answering after up to 5 s (SIGSTOP 5 s / SIGCONT 0.1 s)") {
        @Override
        Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException {
            long struck = System.nanoTime();
            long end = struck + outage.toNanos();
            try {
                while (System.nanoTime() < end) {
                    platform.signal("s3proxy", "STOP");
                    LocalPlatform.pause(SLOW_S3_DELAY);
                    platform.signal("s3proxy", "CONT");
                    LocalPlatform.pause(Duration.ofMillis(100));
                }
            } finally {
                platform.signal("s3proxy", "CONT");
            }
            long now = System.nanoTime();
            return new Window(struck, now, now);
        }
    };

    static final Duration SLOW_S3_DELAY = Duration.ofSeconds(5);

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /**
     * When a fault struck, when its recovery began (the restart, or the end of the slowdown) and when the platform
     * was whole again (the restarted process ready), as {@link System#nanoTime()}.
     */
    record Window(long struck, long recoveryBegan, long whole) {}

    /**
     * Injects the fault, waits {@code outage} where the fault has one, and brings the platform back.
     *
     * @return when it struck and recovered
     */
    abstract Window inject(LocalPlatform platform, Duration outage) throws IOException, InterruptedException;

    private static Window restart(LocalPlatform platform, long struck) throws IOException, InterruptedException {
        long restart = System.nanoTime();
        platform.restart();
        return new Window(struck, restart, System.nanoTime());
    }
}
