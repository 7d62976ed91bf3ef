package dev.cidra.executor.service.health;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place that logs S3 being unreachable: every caller of an S3 endpoint (execution markers, result publishing,
 * job inputs, module fetches, the readiness check) reports its outage failures and its successes here, per endpoint.
 * The log gets one line per change of state: {@code down} at an endpoint's first failure, {@code still down} at most
 * once per {@link #REMINDER} while failures go on, {@code back} at the first success after. Every failure is counted in
 * {@value #FAILURES} (tags {@code endpoint}, {@code operation}), logged or not.
 *
 * <p>An outage failure ({@link #isOutage}) is one where the store did not answer (no connection, a timeout) or
 * answered 5xx; a 4xx is the request's own fault (a missing bucket, access denied) and is not reported. Thread-safe:
 * each endpoint's state changes under its own lock; {@link #succeeded} is a volatile read while the endpoint is up.
 * Time comes from the injected {@link Ticker}.
 */
@Singleton
public class S3Outage {
    /** The counter of failures, logged or not. */
    public static final String FAILURES = "cidra.s3.failures";

    /** How often a still-lasting outage is logged again. */
    public static final Duration REMINDER = Duration.ofSeconds(10);

    /** The endpoint name of the node's own S3 ({@code cidra.s3.*}): modules, markers. */
    public static final String NODE = "node";

    private static final Logger LOG = Logger.getLogger(S3Outage.class);

    private final MeterRegistry meters;
    private final Ticker ticker;
    private final long reminderNanos;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    @Inject
    S3Outage(MeterRegistry meters, Ticker ticker) {
        this(meters, ticker, REMINDER);
    }

    S3Outage(MeterRegistry meters, Ticker ticker, Duration reminder) {
        this.meters = meters;
        this.ticker = ticker;
        this.reminderNanos = reminder.toNanos();
    }

    /**
     * Whether {@code failure} (or a cause of it) is S3 not answering or answering 5xx, rather than the request's own
     * fault.
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof S3Exception s3 && s3.statusCode() > 0) {
                return s3.statusCode() >= 500;
            }
            if (e instanceof SdkClientException) {
                return true;
            }
            if (e instanceof SdkException sdk && sdk.retryable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts a failure of {@code operation} at {@code endpoint} if it is an outage failure, and logs it if it changes
     * the endpoint's state or the reminder is due.
     *
     * @param endpoint the endpoint's URI, or null (or {@link #NODE}) for the node's own S3
     * @return whether it was an outage failure
     */
    public boolean failed(String endpoint, String operation, Throwable failure) {
        if (!isOutage(failure)) {
            return false;
        }
        String name = endpoint == null ? NODE : endpoint;
        Counter.builder(FAILURES)
                .description("Calls to S3 that failed because S3 did not answer or answered 5xx")
                .tags("endpoint", name, "operation", operation)
                .register(meters)
                .increment();
        endpoints.computeIfAbsent(name, Endpoint::new).failed(operation, failure);
        return true;
    }

    /** Notes a call to {@code endpoint} that S3 answered; logs the end of an outage there. */
    public void succeeded(String endpoint) {
        var state = endpoints.get(endpoint == null ? NODE : endpoint);
        if (state != null && state.down) {
            state.succeeded();
        }
    }

    /** Whether {@code endpoint}'s last call failed for an outage. */
    public boolean down(String endpoint) {
        var state = endpoints.get(endpoint == null ? NODE : endpoint);
        return state != null && state.down;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** One endpoint's state; its transitions hold its lock. */
    private final class Endpoint {
        private final String name;
        private volatile boolean down;
        private long since;
        private long lastLogged;
        private long failures;

        Endpoint(String name) {
            this.name = name;
        }

        synchronized void failed(String operation, Throwable failure) {
            long now = ticker.read();
            failures++;
            if (!down) {
                down = true;
                since = now;
                lastLogged = now;
                failures = 1;
                LOG.warnf(
                        "S3 at %s is down: %s failed: %s; failures are counted in %s, and this log repeats every %d s"
                                + " while it lasts",
                        name,
                        operation,
                        describe(failure),
                        FAILURES,
                        Duration.ofNanos(reminderNanos).toSeconds());
            } else if (now - lastLogged >= reminderNanos) {
                lastLogged = now;
                LOG.warnf(
                        "S3 at %s is still down after %d s: %d failures so far, the last: %s failed: %s",
                        name, Duration.ofNanos(now - since).toSeconds(), failures, operation, describe(failure));
            }
        }

        synchronized void succeeded() {
            if (!down) {
                return;
            }
            down = false;
            LOG.infof(
                    "S3 at %s is back after %d s and %d failures",
                    name, Duration.ofNanos(ticker.read() - since).toSeconds(), failures);
        }
    }
}
