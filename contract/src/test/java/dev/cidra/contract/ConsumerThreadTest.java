package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsumerThreadTest {
    private static final Duration CLOSE = Duration.ofSeconds(5);

    /** A consumer that says when, and on which thread state, it was closed. */
    static final class Watched extends MockConsumer<byte[], byte[]> {
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean interruptedAtClose;
        volatile String closedOn;
        volatile CloseOptions closedWith;

        Watched() {
            super("earliest");
        }

        @Override
        public synchronized void close(CloseOptions options) {
            interruptedAtClose = Thread.currentThread().isInterrupted();
            closedOn = Thread.currentThread().getName();
            closedWith = options;
            super.close(options);
            closed.countDown();
        }

        void awaitClosed() throws InterruptedException {
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the consumer was not closed");
        }
    }

    @Test
    void stopEndsAPollingLoopCleanlyAndTheThreadClosesTheConsumer() throws InterruptedException {
        var consumer = new Watched();
        var polled = new CountDownLatch(1);
        var thread = new ConsumerThread("cidra-test-poll", consumer, CLOSE);
        thread.start(() -> {
            while (thread.running()) {
                consumer.poll(Duration.ofMillis(1));
                polled.countDown();
                Thread.onSpinWait();
            }
        });
        assertTrue(polled.await(10, TimeUnit.SECONDS));
        assertTrue(thread.running());

        thread.stop();

        assertFalse(thread.running());
        assertNull(thread.failure());
        assertTrue(consumer.closed());
        assertEquals("cidra-test-poll", consumer.closedOn);
        assertFalse(consumer.interruptedAtClose);
        // A static member too hands its partitions over at once rather than after its session timeout.
        assertEquals(CloseOptions.GroupMembershipOperation.LEAVE_GROUP, consumer.closedWith.groupMembershipOperation());
        assertEquals(Optional.of(CLOSE), consumer.closedWith.timeout());
    }

    @Test
    void stopWakesUpABlockingCallAndTheWakeupIsNoFailure() throws InterruptedException {
        var consumer = new Watched();
        var thread = new ConsumerThread("cidra-test-wakeup", consumer, CLOSE);
        var started = new CountDownLatch(1);
        thread.start(() -> {
            started.countDown();
            while (true) { // ignores running(): only the wakeup ends it
                consumer.poll(Duration.ofMillis(1));
                Thread.onSpinWait();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));

        thread.stop();

        assertNull(thread.failure());
        assertTrue(consumer.closed());
    }

    /** How a loop can end while it should still be running, and the failure each leaves. */
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        "throws",
                        (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {
                            throw new IllegalStateException("boom");
                        },
                        "java.lang.IllegalStateException: boom",
                        false),
                Arguments.of(
                        "the consumer fails",
                        (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {
                            consumer.setPollException(new KafkaException("broker gone"));
                            consumer.poll(Duration.ZERO);
                        },
                        "org.apache.kafka.common.KafkaException: broker gone",
                        false),
                Arguments.of(
                        "someone else wakes the consumer up",
                        (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {
                            consumer.wakeup();
                            consumer.poll(Duration.ZERO);
                        },
                        "woken up unexpectedly",
                        false),
                Arguments.of(
                        "interrupted while waiting",
                        (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {
                            Thread.currentThread().interrupt();
                            Thread.sleep(10_000);
                        },
                        "interrupted",
                        true),
                Arguments.of(
                        "Kafka reports an interrupt",
                        (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {
                            throw new InterruptException(new InterruptedException());
                        },
                        "interrupted",
                        true),
                Arguments.of("returns", (Function<Watched, ConsumerThread.Loop>) consumer -> () -> {}, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aLoopThatEndsOnItsOwnLeavesItsFailureAndClosesTheConsumer(
            String how, Function<Watched, ConsumerThread.Loop> loop, String failure, boolean interrupted)
            throws InterruptedException {
        var consumer = new Watched();
        var thread = new ConsumerThread("cidra-test-" + how.replace(' ', '-'), consumer, CLOSE);

        thread.start(loop.apply(consumer));
        consumer.awaitClosed();

        assertEquals(failure, thread.failure(), how);
        assertEquals(interrupted, consumer.interruptedAtClose, how + ": the interrupt flag at close");
        assertTrue(thread.running(), "only stop() clears running()");
        thread.stop();
        assertEquals(failure, thread.failure(), "a stop after the end keeps the failure");
    }

    @Test
    void stoppingAnUnstartedThreadClosesTheConsumerAndRefusesAStart() throws InterruptedException {
        var consumer = new Watched();
        var thread = new ConsumerThread("cidra-test-unstarted", consumer, CLOSE);

        thread.stop();

        assertTrue(consumer.closed());
        assertEquals(Thread.currentThread().getName(), consumer.closedOn);
        var refused = assertThrows(IllegalStateException.class, () -> thread.start(() -> {}));
        assertTrue(refused.getMessage().contains("cidra-test-unstarted"), refused.getMessage());
        thread.stop(); // a second stop does nothing
        assertNull(thread.failure());
    }

    @Test
    void aSecondStartIsRefused() throws InterruptedException {
        var consumer = new Watched();
        var thread = new ConsumerThread("cidra-test-twice", consumer, CLOSE);
        thread.start(() -> {});
        assertThrows(IllegalStateException.class, () -> thread.start(() -> {}));
        thread.stop();
        assertTrue(consumer.closed());
    }

    @Test
    void aBoundedStopSaysWhetherTheLoopEnded() throws InterruptedException {
        var consumer = new Watched();
        var release = new CountDownLatch(1);
        var thread = new ConsumerThread("cidra-test-bounded", consumer, CLOSE);
        thread.start(release::await); // deaf to the wakeup

        assertFalse(thread.stop(Duration.ofMillis(20)));
        assertFalse(consumer.closed());

        release.countDown();
        assertTrue(thread.stop(Duration.ofSeconds(10)));
        assertTrue(consumer.closed());
        assertNull(thread.failure());
    }
}
