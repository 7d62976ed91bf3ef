package dev.cidra.executor.service.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A simulated outage on a moved {@link com.github.benmanes.caffeine.cache.Ticker}: the failures are those of a real S3
 * client whose endpoint refuses connections, the log lines are captured from the tracker's logger.
 */
class S3OutageTest {
    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final S3Outage outage = new S3Outage(meters, now::get, Duration.ofSeconds(10));
    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(S3Outage.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    /** 30 s without S3, 100 failed calls a second: 3,000 failures, 4 lines (down, still down at 10 and 20 s, back). */
    @Test
    void aThirtySecondOutageLogsOneLinePerChangeAndCountsEveryFailure() throws Exception {
        SdkException refused = refusedCall();
        assertTrue(S3Outage.isOutage(refused), refused.toString());

        outage.succeeded(S3Outage.NODE); // up: nothing to say
        for (int i = 0; i < 3000; i++) {
            now.set(Duration.ofMillis(10L * i).toNanos());
            assertTrue(outage.failed(
                    S3Outage.NODE,
                    i % 2 == 0 ? "reading an execution marker" : "fetching a module",
                    new IllegalStateException("wrapped", refused)));
        }
        assertTrue(outage.down(S3Outage.NODE));
        now.set(Duration.ofSeconds(30).toNanos());
        outage.succeeded(S3Outage.NODE);
        outage.succeeded(S3Outage.NODE);

        var messages = messages();
        assertEquals(4, messages.size(), String.join("\n", messages));
        assertTrue(
                messages.get(0).startsWith("S3 at node is down: reading an execution marker failed: "),
                messages.get(0));
        assertTrue(
                messages.get(1).startsWith("S3 at node is still down after 10 s: 1001 failures so far"),
                messages.get(1));
        assertTrue(
                messages.get(2).startsWith("S3 at node is still down after 20 s: 2001 failures so far"),
                messages.get(2));
        assertEquals("S3 at node is back after 30 s and 3000 failures", messages.get(3));
        assertFalse(outage.down(S3Outage.NODE));

        assertEquals(
                3000,
                meters.find(S3Outage.FAILURES).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum());
        assertEquals(
                1500,
                meters.get(S3Outage.FAILURES)
                        .tag("operation", "fetching a module")
                        .counter()
                        .count());
    }

    /** A request's own fault (404, 403) is not an outage: not counted, not logged; a 503 is. */
    @Test
    void onlyUnansweredCallsAndServerErrorsAreOutages() {
        var missing =
                S3Exception.builder().statusCode(404).message("no such key").build();
        var denied =
                S3Exception.builder().statusCode(403).message("access denied").build();
        var busy = S3Exception.builder().statusCode(503).message("slow down").build();

        assertFalse(outage.failed(S3Outage.NODE, "reading an execution marker", missing));
        assertFalse(outage.failed(S3Outage.NODE, "reading an execution marker", denied));
        assertFalse(outage.failed(S3Outage.NODE, "reading an execution marker", new IllegalArgumentException("x")));
        assertEquals(List.of(), lines);
        assertFalse(outage.down(S3Outage.NODE));
        assertTrue(meters.find(S3Outage.FAILURES).counters().isEmpty());

        assertTrue(outage.failed(S3Outage.NODE, "publishing a result", busy));
        assertTrue(outage.down(S3Outage.NODE));
        assertEquals(1, lines.size());
    }

    /** Each endpoint has its own state: a job's dead endpoint does not make the node's S3 flap. */
    @Test
    void endpointsAreTrackedApart() {
        var refused = SdkClientException.create("Unable to execute HTTP request: Connection refused");
        String theirs = "http://127.0.0.1:9";
        outage.failed(theirs, "publishing a result", refused);
        outage.succeeded(S3Outage.NODE);
        outage.failed(theirs, "publishing a result", refused);

        assertTrue(outage.down(theirs));
        assertFalse(outage.down(S3Outage.NODE));
        assertEquals(1, lines.size(), messages().toString());
        assertEquals(
                2,
                meters.get(S3Outage.FAILURES).tag("endpoint", theirs).counter().count());
    }

    private List<String> messages() {
        return lines.stream()
                .map(record -> record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                .toList();
    }

    /** The failure of one call to an S3 client whose endpoint refuses connections (SDK retries off). */
    private static SdkException refusedCall() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var client = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            return assertThrows(SdkException.class, () -> client.headBucket(b -> b.bucket("modules")));
        }
    }
}
