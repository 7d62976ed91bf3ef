package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.cli.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Jobs through the gateway: submitting, following to their end, and their stdout, stderr and exit code. */
final class Jobs {
    /** Exit code of a job that failed before its guest ran (an input, the module), as {@code cidra exec} uses it. */
    static final int NOT_STARTED = 125;

    /** Exit code of a job that was cancelled (128 + SIGTERM, as a stopped process's). */
    static final int CANCELLED = 143;

    /** How long a just-accepted job may be unknown to the gateway's view (its queued event on the way). */
    private static final Duration UNKNOWN_GRACE = Duration.ofSeconds(30);

    /**
     * How long each read of the job may be held by the gateway until the job changes (a long poll): a change is shown
     * as the gateway folds it, and the elapsed time on a terminal is redrawn at least this often.
     */
    private static final Duration STATUS_WAIT = Duration.ofSeconds(1);

    /**
     * The longest pause between two reads that answered before the job changed (a gateway that does not hold them):
     * 100 ms keeps {@code cidra wasm run} within its overhead budget (issue 13: 0.5 s over the job's time).
     */
    private static final long MAX_POLL_MILLIS = 100;

    private final Gateway gateway;
    private final PrintStream out;
    private final PrintStream err;

    Jobs(Gateway gateway, PrintStream out, PrintStream err) {
        this.gateway = gateway;
        this.out = out;
        this.err = err;
    }

    static String path(String jobId) {
        return "/v1/jobs/" + Gateway.encode(jobId);
    }

    /** Submits a spec ({@code contentType} JSON or YAML) as it is; the job's id. */
    String submit(byte[] spec, String contentType) throws IOException, InterruptedException {
        JsonNode accepted = gateway.sendJson(
                gateway.request("/v1/jobs")
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(spec)),
                202);
        return accepted.path("jobID").asText();
    }

    /**
     * Submits a spec and, as {@code wait} says, either prints the job's id or follows the job to its end and reports it
     * ({@link #report}).
     *
     * @return the exit code
     */
    int run(byte[] spec, String contentType, WaitOptions wait) throws IOException, InterruptedException {
        String jobId = submit(spec, contentType);
        if (!wait.waits()) {
            out.println(jobId);
            if (!wait.idOnly) {
                err.println("job " + jobId + ": submitted; follow it with `cidra job describe " + jobId + "`");
            }
            return 0;
        }
        return report(await(jobId));
    }

    /**
     * Stops a job ({@code DELETE /v1/jobs/{id}}) and prints that it was cancelled, by whom and when.
     *
     * @throws GatewayException naming why the gateway refused (no such job, or it has ended)
     */
    void stop(String jobId) throws IOException, InterruptedException {
        JsonNode job = gateway.sendJson(gateway.request(path(jobId)).DELETE(), 200);
        out.println("job " + jobId + ": " + cancelled(job));
    }

    /** {@code cancelled by NAME at TIME}. */
    private static String cancelled(JsonNode job) {
        JsonNode cancelled = job.path("cancelled");
        return "cancelled by " + cancelled.path("by").asText("?") + " at "
                + cancelled.path("at").asText("?");
    }

    /** What the gateway knows of a job. */
    JsonNode status(String jobId) throws IOException, InterruptedException {
        return gateway.getJson(path(jobId));
    }

    /**
     * Follows a job until it is completed or failed, showing its state on stderr: one line redrawn in place on a
     * terminal, else a line per state. Each read asks the gateway to hold its answer until the job changes.
     *
     * @return the ended job
     */
    JsonNode await(String jobId) throws IOException, InterruptedException {
        boolean terminal = Progress.onTerminal();
        long start = System.nanoTime();
        String shown = "submitted";
        if (!terminal) {
            err.println("job " + jobId + ": " + shown);
        }
        long pollMillis = 25;
        String seen = null;
        while (true) {
            long asked = System.nanoTime();
            Optional<JsonNode> found = gateway.findJson(path(jobId) + "?wait=" + STATUS_WAIT.toMillis() + "ms"
                    + (seen == null ? "" : "&state=" + Gateway.encode(seen)));
            if (found.isEmpty() && System.nanoTime() - start > UNKNOWN_GRACE.toNanos()) {
                status(jobId); // throws the gateway's detail
            }
            String state = found.map(Jobs::describeState).orElse("submitted");
            String line = "job " + jobId + ": " + state;
            boolean ended = found.isPresent() && ended(found.get());
            String elapsed = String.format("%.1f s", (System.nanoTime() - start) / 1e9);
            if (ended) {
                line += " in " + elapsed;
            } else if (terminal) {
                line += " (" + elapsed + ")";
            }
            if (terminal) {
                err.print("\r\033[K" + line + (ended ? "\n" : ""));
                err.flush();
            } else if (!state.equals(shown) || ended) {
                err.println(line);
            }
            shown = state;
            if (ended) {
                return found.get();
            }
            String now = found.map(job -> job.path("state").asText()).orElse(null);
            if (Objects.equals(now, seen) && System.nanoTime() - asked < STATUS_WAIT.toNanos() / 2) {
                Thread.sleep(pollMillis); // answered unchanged without holding: poll
                pollMillis = Math.min(MAX_POLL_MILLIS, pollMillis * 2);
            }
            seen = now;
        }
    }

    private static String describeState(JsonNode job) {
        String state = job.path("state").asText();
        JsonNode execution = lastExecution(job);
        if (state.equals("running") && execution != null) {
            return "running on " + execution.path("nodeID").asText();
        }
        return state;
    }

    static boolean ended(JsonNode job) {
        String state = job.path("state").asText();
        return state.equals("completed") || state.equals("failed") || state.equals("cancelled");
    }

    /** The job's last execution, or null if none started. */
    static JsonNode lastExecution(JsonNode job) {
        JsonNode executions = job.path("executions");
        return executions.isArray() && !executions.isEmpty() ? executions.get(executions.size() - 1) : null;
    }

    /**
     * Prints an ended job's stdout to {@code out} and stderr to {@code err} and, if it failed, why.
     *
     * @return its exit code: the guest's; {@value #NOT_STARTED} if it failed before its guest ran; 1 if the guest
     *     exited 0 but the job failed (its result was not published)
     */
    int report(JsonNode job) throws IOException, InterruptedException {
        printLogs(job);
        JsonNode execution = lastExecution(job);
        JsonNode exitCode = execution == null ? null : execution.get("exitCode");
        if (job.path("state").asText().equals("completed")) {
            return exitCode == null ? 0 : exitCode.asInt();
        }
        if (job.path("state").asText().equals("cancelled")) {
            err.println("cidra: job " + job.path("jobID").asText() + " was " + cancelled(job));
            return CANCELLED;
        }
        String error = job.hasNonNull("verdict")
                ? job.path("verdict").asText()
                : execution == null ? "" : execution.path("error").asText("");
        err.println("cidra: job " + job.path("jobID").asText() + " failed" + (error.isEmpty() ? "" : ": " + error));
        if (exitCode == null) {
            return NOT_STARTED;
        }
        return exitCode.asInt() == 0 ? 1 : exitCode.asInt();
    }

    /**
     * Prints an ended job's stdout and stderr: the excerpts in its status, or the whole streams from its published
     * result when an excerpt is cut or its bytes were not valid UTF-8.
     */
    void printLogs(JsonNode job) throws IOException, InterruptedException {
        JsonNode execution = lastExecution(job);
        if (execution == null) {
            return;
        }
        String stdout = execution.path("stdout").asText("");
        String stderr = execution.path("stderr").asText("");
        boolean cut = execution.path("stdoutTruncated").asBoolean()
                || execution.path("stderrTruncated").asBoolean()
                || stdout.indexOf('\uFFFD') >= 0
                || stderr.indexOf('\uFFFD') >= 0;
        byte[] stdoutBytes = stdout.getBytes(StandardCharsets.UTF_8);
        byte[] stderrBytes = stderr.getBytes(StandardCharsets.UTF_8);
        if (cut && job.hasNonNull("result")) {
            Map<String, byte[]> streams;
            try (InputStream body = outputs(job.path("jobID").asText()).body()) {
                streams = ResultArchive.read(body, Set.of("stdout", "stderr"));
            }
            stdoutBytes = streams.getOrDefault("stdout", stdoutBytes);
            stderrBytes = streams.getOrDefault("stderr", stderrBytes);
        } else if (cut) {
            err.println("cidra: the job published no result, so only the start of its output is known");
        }
        out.write(stdoutBytes);
        out.flush();
        err.write(stderrBytes);
        err.flush();
    }

    /** Opens the job's published result ({@code GET /v1/jobs/{id}/outputs}); the caller closes the body. */
    HttpResponse<InputStream> outputs(String jobId) throws IOException, InterruptedException {
        return gateway.open(gateway.request(path(jobId) + "/outputs")
                .timeout(Duration.ofHours(1))
                .GET());
    }
}
