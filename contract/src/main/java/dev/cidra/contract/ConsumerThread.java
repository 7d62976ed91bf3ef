package dev.cidra.contract;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The lifecycle of a thread that owns a Kafka consumer: one new platform thread runs a polling loop until
 * {@link #stop()}, or until the loop fails, and then closes the consumer. Every hand-written consumer loop of Cidra
 * runs on one of these.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>The consumer is used by the thread only (the loop and, at its end, its {@code close}), but for the
 *       {@code wakeup} with which {@link #stop()} ends a blocking call.
 *   <li>{@link #running()} is true from {@link #start} until {@link #stop()} is called: the loop polls while it is.
 *   <li>The loop ends cleanly when it returns, or when it throws Kafka's {@link WakeupException} after {@link #stop()}
 *       was called. It fails when it throws anything else: a {@link WakeupException} while running is "woken up
 *       unexpectedly"; an {@link InterruptedException} (or Kafka's {@link InterruptException}) is "interrupted", and the
 *       thread's interrupt flag stays set; a {@link RuntimeException} is its {@code toString()}. A failure is logged
 *       and kept in {@link #failure()}, which is null otherwise.
 *   <li>However the loop ends, the consumer is closed, waiting at most the close timeout, and leaves its consumer group
 *       (a static member too), so that the group hands its partitions to the other members at once instead of after
 *       the session timeout.
 * </ul>
 *
 * The thread is a daemon: it never keeps the JVM alive; its owner stops it on shutdown.
 */
public final class ConsumerThread {
    /** The body of the thread: polls while {@link ConsumerThread#running()}. */
    @FunctionalInterface
    public interface Loop {
        void run() throws InterruptedException;
    }

    /** What {@code KafkaConsumer.close()} waits at most, for loops that keep Kafka's own bound. */
    public static final Duration KAFKA_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(ConsumerThread.class.getName());

    private final String name;
    private final Consumer<?, ?> consumer;
    private final Duration closeTimeout;
    private volatile boolean running;
    private volatile String failure;
    private Thread thread; // guarded by this
    private boolean stopped; // guarded by this

    /**
     * @param name the thread's name, which the log lines about it use too
     * @param consumer owned by this from now on: closed when the loop ends, or by {@link #stop()} if it never started
     * @param closeTimeout how long closing the consumer may wait (committing, leaving the group)
     */
    public ConsumerThread(String name, Consumer<?, ?> consumer, Duration closeTimeout) {
        this.name = name;
        this.consumer = consumer;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Starts {@code loop} on the new thread.
     *
     * @throws IllegalStateException if started or stopped before
     */
    public synchronized void start(Loop loop) {
        if (thread != null || stopped) {
            throw new IllegalStateException("consumer thread " + name + " was started or stopped before");
        }
        running = true;
        thread = Thread.ofPlatform().name(name).daemon(true).start(() -> run(loop));
    }

    /** Whether the loop should go on polling: true from {@link #start} until {@link #stop()}. */
    public boolean running() {
        return running;
    }

    /** Why the loop ended other than by {@link #stop()}; null while it runs, after a clean end, or before a start. */
    public String failure() {
        return failure;
    }

    /**
     * Ends the loop: clears {@link #running()}, wakes the consumer up and waits until the loop has ended and closed the
     * consumer (at once, closing the consumer itself, if the loop never started).
     *
     * @throws InterruptedException if interrupted while waiting; the loop still ends on its own
     */
    public void stop() throws InterruptedException {
        Thread current = beginStop();
        if (current != null) {
            current.join();
        }
    }

    /**
     * As {@link #stop()}, waiting at most {@code timeout} for the loop to end.
     *
     * @return whether the loop has ended
     * @throws InterruptedException if interrupted while waiting; the loop still ends on its own
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        Thread current = beginStop();
        return current == null || current.join(timeout);
    }

    /** Clears the flag and wakes the loop up; returns the thread to wait for, if any (closes an unstarted consumer). */
    private Thread beginStop() {
        Thread current;
        boolean unstarted;
        synchronized (this) {
            running = false;
            current = thread;
            unstarted = current == null && !stopped;
            stopped = true;
        }
        if (current == null) {
            if (unstarted) {
                consumer.close(closeOptions());
            }
            return null;
        }
        consumer.wakeup();
        return current == Thread.currentThread() ? null : current; // stopped from within the loop: it ends on return
    }

    private void run(Loop loop) {
        try {
            loop.run();
        } catch (WakeupException e) {
            if (running) {
                fail("woken up unexpectedly", e);
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            fail("interrupted", e);
        } catch (RuntimeException e) {
            fail(e.toString(), e);
        } finally {
            try {
                consumer.close(closeOptions());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "consumer of thread " + name + " did not close cleanly", e);
            }
        }
    }

    private CloseOptions closeOptions() {
        return CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    }

    private void fail(String why, Exception e) {
        failure = why;
        LOG.log(System.Logger.Level.ERROR, "consumer thread " + name + " stops: " + why, e);
    }
}
