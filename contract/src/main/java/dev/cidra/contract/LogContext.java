package dev.cidra.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * Puts values in the logging MDC of the current thread until closed, so that every log line written meanwhile on this
 * thread carries them (the services' log format prints {@code jobId}, {@code executionId}, {@code traceId} and
 * {@code spanId}). Closing restores what the keys held before, so scopes nest. Use with try-with-resources on the
 * thread that opened it; a null value leaves its key as it was.
 */
public final class LogContext implements AutoCloseable {
    /** The MDC key of a job's id. */
    public static final String JOB_ID = "jobId";
    /** The MDC key of an execution's id (a synchronous call's execution key). */
    public static final String EXECUTION_ID = "executionId";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> values) {
        values.forEach((key, value) -> {
            if (value != null) {
                previous.put(key, MDC.put(key, value));
            }
        });
    }

    /** Puts {@code values} (null values skipped) until the returned scope is closed. */
    public static LogContext put(Map<String, String> values) {
        return new LogContext(values);
    }

    /** The job and execution ids, until the returned scope is closed. */
    public static LogContext job(String jobId, String executionId) {
        var values = new LinkedHashMap<String, String>();
        values.put(JOB_ID, jobId);
        values.put(EXECUTION_ID, executionId);
        return new LogContext(values);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
