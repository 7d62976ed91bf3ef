package dev.cidra.gateway.http;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static dev.cidra.gateway.http.FunctionsResourceTest.awaitJob;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The jobs API; the test plays the executor on Kafka and publishes results to S3Proxy itself. */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class JobsResourceTest {
    static final String TYPES = "tag:cidra.dev,2026:problems/";
    static final String CID = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a";

    @Inject
    ObjectMapper json;

    @Inject
    S3Client s3;

    @Inject
    GatewayConfig config;

    @Inject
    JobView view;

    private KafkaStub executor;

    @BeforeEach
    void executor() {
        executor = new KafkaStub(json, Topics.JOBS);
    }

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void anAcceptedJobIsQueuedAndItsRequestPublished() {
        Instant before = Instant.now();
        Response accepted = submit(
                "application/json",
                "{\"Job\": {\"Tasks\": [{\"Name\": \"t\", \"Engine\":"
                        + " {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \"" + CID + "\"}}}]}}");

        assertEquals(202, accepted.statusCode(), accepted.asString());
        String jobId = accepted.jsonPath().getString("jobID");
        assertTrue(accepted.header("Location").endsWith("/v1/jobs/" + jobId));
        var record =
                executor.await(r -> executor.decode(r, JobRequest.class).jobId().equals(jobId));
        JobRequest request = executor.decode(record, JobRequest.class);
        assertEquals(CID, KafkaStub.key(record));
        assertTrue(request.executionId().startsWith("e-"), request.executionId());
        assertTrue(
                !request.submittedAt().isBefore(before.minusSeconds(1)),
                request.submittedAt().toString());
        assertEquals(64L << 20, request.memoryBytes());
        assertEquals(600_000, request.timeoutMillis());

        Response job = given().get("/v1/jobs/{id}", jobId);
        assertEquals(200, job.statusCode());
        assertEquals("queued", job.jsonPath().getString("state"));
        assertEquals(request.submittedAt(), Instant.parse(job.jsonPath().getString("createdAt")));
    }

    @Test
    void eventsFoldIntoTheJobAndTerminalStatesNeverRegress() {
        String jobId = submitted();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        var result = new PublishedResult(
                "s3",
                "b",
                "k/",
                "us-east-1",
                null,
                null,
                null,
                null,
                "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi");
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-1", t), Map.of());
        awaitJob(jobId, "running");
        executor.send(
                Topics.JOB_EVENTS, jobId, JobEvent.publishing(jobId, "e-1", "node-1", t.plusSeconds(1)), Map.of());
        Response publishing = awaitJob(jobId, "publishing");
        assertEquals("publishing", publishing.jsonPath().getString("executions[0].state"));
        assertEquals(t.toString(), publishing.jsonPath().getString("executions[0].startedAt"));
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(terminal(jobId, JobEvent.JobState.COMPLETED, t.plusSeconds(2), "done", result)),
                true);
        Response completed = awaitJob(jobId, "completed");
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-2", t.plusSeconds(3)), Map.of());
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(terminal(jobId, JobEvent.JobState.FAILED, t.plusSeconds(4), "again", null)),
                true);
        // A marker on the same partition (same key), after the late events: once it is seen, so are they.
        String marker = "j-marker-" + UUID.randomUUID();
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.queued(marker, t, "default"), Map.of());
        awaitJob(marker, "queued");

        Response job = given().get("/v1/jobs/{id}", jobId);
        assertEquals(completed.asString(), job.asString());
        assertEquals(1, job.jsonPath().getList("executions").size());
        assertEquals("completed", job.jsonPath().getString("executions[0].state"));
        assertEquals("node-1", job.jsonPath().getString("executions[0].nodeID"));
        assertEquals(0, job.jsonPath().getInt("executions[0].exitCode"));
        assertEquals("done", job.jsonPath().getString("executions[0].stdout"));
        assertEquals(t.toString(), job.jsonPath().getString("executions[0].startedAt"));
        assertEquals(t.plusSeconds(2).toString(), job.jsonPath().getString("executions[0].endedAt"));
        assertEquals("k/", job.jsonPath().getString("result.Key"));
        assertEquals("b", job.jsonPath().getString("result.Bucket"));
        assertEquals(
                "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi",
                job.jsonPath().getString("result.CID"));
        assertNull(job.jsonPath().getString("result.URL"));
    }

    @Test
    void aStoppedJobIsCancelledByTheCallerItsCancellationPublishedAndItCannotBeStoppedTwice() throws Exception {
        String jobId = submitted();
        try (var cancellations = new KafkaStub(json, Topics.JOB_CANCELLATIONS)) {
            Instant before = Instant.now();
            Response stopped = given().delete("/v1/jobs/{id}", jobId);

            assertEquals(200, stopped.statusCode(), stopped.asString());
            assertEquals("cancelled", stopped.jsonPath().getString("state"));
            assertEquals("test-admin", stopped.jsonPath().getString("cancelled.by"));
            Instant at = Instant.parse(stopped.jsonPath().getString("cancelled.at"));
            assertTrue(!at.isBefore(before.minusSeconds(1)), at.toString());
            var cancellation = cancellations.awaitValue(
                    JobCancellation.class, c -> c.jobId().equals(jobId));
            assertEquals(new JobCancellation(jobId, "test-admin", at), cancellation);
        }
        assertEquals("cancelled", awaitJob(jobId, "cancelled").jsonPath().getString("state"));

        String path = "/v1/jobs/" + jobId;
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-1", Instant.now()), Map.of());
        var stoppedBy = new JobCancellation(jobId, "test-admin", Instant.now());
        executor.sendInTransaction(
                Topics.JOB_EVENTS, jobId, List.of(JobEvent.cancelled(stoppedBy, "e-1", "node-1")), true);
        var deadline = Instant.now().plusSeconds(30);
        Response stoppedExecution = given().get(path);
        while (!"cancelled".equals(stoppedExecution.jsonPath().getString("executions[0].state"))) {
            assertTrue(Instant.now().isBefore(deadline), stoppedExecution.asString());
            Thread.sleep(100);
            stoppedExecution = given().get(path);
        }
        assertEquals("cancelled", stoppedExecution.jsonPath().getString("state"));
        assertEquals(
                "job " + jobId + " has already ended (cancelled); only a queued, running or publishing job can be"
                        + " stopped",
                assertProblem(given().delete(path), 409, TYPES + "job-finished", path));
        String completed = submittedAndCompleted("done", null, true);
        awaitJob(completed, "completed");
        assertProblem(given().delete("/v1/jobs/" + completed), 409, TYPES + "job-finished", "/v1/jobs/" + completed);
        assertProblem(given().delete("/v1/jobs/j-nothing"), 404, TYPES + "job-not-found", "/v1/jobs/j-nothing");
    }

    @Test
    void theExecutorsCancelledEventNamesItsExecutionAndNothingAfterItChangesTheJob() {
        String jobId = submitted();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-1", t), Map.of());
        awaitJob(jobId, "running");
        var cancellation = new JobCancellation(jobId, "someone", t.plusSeconds(1));
        executor.sendInTransaction(
                Topics.JOB_EVENTS, jobId, List.of(JobEvent.cancelled(cancellation, "e-1", "node-1")), true);
        Response cancelled = awaitJob(jobId, "cancelled");
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(terminal(jobId, JobEvent.JobState.COMPLETED, t.plusSeconds(2), "late", null)),
                true);
        String marker = "j-marker-" + UUID.randomUUID();
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.queued(marker, t, "default"), Map.of());
        awaitJob(marker, "queued");

        assertEquals(cancelled.asString(), given().get("/v1/jobs/{id}", jobId).asString());
        assertEquals("cancelled", cancelled.jsonPath().getString("executions[0].state"));
        assertEquals("someone", cancelled.jsonPath().getString("cancelled.by"));
        assertEquals(t.plusSeconds(1).toString(), cancelled.jsonPath().getString("cancelled.at"));
    }

    @Test
    void queueAndTotalTimeoutsAreCarriedToTheExecutor() {
        Response accepted = submit(
                "application/json",
                "{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \"" + CID
                        + "\"}}, \"Timeouts\": {\"ExecutionTimeout\": 60, \"QueueTimeout\": 30, \"TotalTimeout\": 90}}]}");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String jobId = accepted.jsonPath().getString("jobID");

        JobRequest request =
                executor.awaitValue(JobRequest.class, r -> r.jobId().equals(jobId));
        assertEquals(60_000, request.timeoutMillis());
        assertEquals(30_000, request.queueTimeoutMillis());
        assertEquals(90_000, request.totalTimeoutMillis());
    }

    @Test
    void anAbortedTerminalEventIsNotShown() {
        String jobId = submittedAndCompleted("aborted", null, false);
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-1", Instant.now()), Map.of());

        Response job = awaitJob(jobId, "running");
        assertEquals("running", job.jsonPath().getString("executions[0].state"));
        assertNull(job.jsonPath().getString("executions[0].stdout"));
    }

    @Test
    void jobsAreListedNewestFirstCutByLimitAndFilteredByState() {
        String first = submitted();
        String second = submitted();
        String third = submitted();
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                second,
                List.of(terminal(second, JobEvent.JobState.COMPLETED, Instant.now(), "", null)),
                true);
        awaitJob(first, "queued");
        awaitJob(second, "completed");
        awaitJob(third, "queued");
        var mine = List.of(first, second, third);

        Response all = given().queryParam("limit", 1000).get("/v1/jobs");
        assertEquals(200, all.statusCode(), all.asString());
        List<String> listed = all.jsonPath().getList("jobs.jobID");
        assertEquals(
                List.of(third, second, first),
                listed.stream().filter(mine::contains).toList());
        assertEquals(listed.size(), all.jsonPath().getInt("total"));
        assertEquals("completed", all.jsonPath().getString("jobs.find { it.jobID == '" + second + "' }.state"));

        Response newest = given().queryParam("limit", 2).get("/v1/jobs");
        assertEquals(List.of(third, second), newest.jsonPath().getList("jobs.jobID"));
        assertEquals(listed.size(), newest.jsonPath().getInt("total"));

        Response completed = given().queryParam("state", "completed").get("/v1/jobs");
        List<String> completedIds = completed.jsonPath().getList("jobs.jobID");
        assertTrue(completedIds.contains(second), completed.asString());
        assertTrue(completedIds.stream().noneMatch(id -> id.equals(first) || id.equals(third)), completed.asString());
        assertEquals(
                List.of("completed"),
                completed.jsonPath().getList("jobs.state").stream().distinct().toList());
    }

    @Test
    void labelsAndMetaAreReturnedAndJobsAreFilteredByLabel() {
        String team = "t-" + java.util.UUID.randomUUID();
        Response accepted = submit(
                "application/json",
                "{\"Labels\": {\"team\": \"" + team + "\", \"stage\": \"nightly\"}, \"Meta\": {\"owner\": \"ana\"},"
                        + " \"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\":"
                        + " {\"EntryModule\": \"" + CID + "\"}}}]}");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String labelled = accepted.jsonPath().getString("jobID");
        String other = submitted();
        awaitJob(labelled, "queued");
        awaitJob(other, "queued");

        Response job = given().get("/v1/jobs/" + labelled);
        assertEquals(Map.of("team", team, "stage", "nightly"), job.jsonPath().getMap("labels"));
        assertEquals(Map.of("owner", "ana"), job.jsonPath().getMap("meta"));

        Response byTeam = given().queryParam("label", "team=" + team).get("/v1/jobs");
        assertEquals(List.of(labelled), byTeam.jsonPath().getList("jobs.jobID"));
        Response both =
                given().queryParam("label", "team=" + team, "stage=weekly").get("/v1/jobs");
        assertEquals(List.of(), both.jsonPath().getList("jobs.jobID"));
        assertEquals(
                "query parameter label must be KEY=VALUE, e.g. label=team%3Dsearch, not \"team\"",
                assertProblem(given().queryParam("label", "team").get("/v1/jobs"), 400, "about:blank", "/v1/jobs"));
    }

    @Test
    void aListLimitOutside1To1000OrAnUnknownStateIsA400() {
        assertEquals(
                "query parameter limit must be a number from 1 to 1000, not \"0\"",
                assertProblem(given().queryParam("limit", 0).get("/v1/jobs"), 400, "about:blank", "/v1/jobs"));
        assertEquals(
                "query parameter limit must be a number from 1 to 1000, not \"1001\"",
                assertProblem(given().queryParam("limit", 1001).get("/v1/jobs"), 400, "about:blank", "/v1/jobs"));
        assertEquals(
                "query parameter state must be one of queued, running, publishing, completed, failed, cancelled, not \"done\"",
                assertProblem(given().queryParam("state", "done").get("/v1/jobs"), 400, "about:blank", "/v1/jobs"));
    }

    @Test
    void aHeldReadIsAnsweredAsSoonAsTheJobLeavesTheStateItWasSeenIn() throws Exception {
        String jobId = submitted();
        int waited = view.waitedJobs();

        CompletableFuture<Response> held = CompletableFuture.supplyAsync(() ->
                given().queryParam("wait", "30s").queryParam("state", "queued").get("/v1/jobs/{id}", jobId));
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        while (view.waitedJobs() == waited && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertEquals(waited + 1, view.waitedJobs(), "the read waits on the job");
        assertFalse(held.isDone(), "a queued job seen queued is not answered before it changes");
        executor.send(Topics.JOB_EVENTS, jobId, JobEvent.running(jobId, "e-1", "node-1", Instant.now()), Map.of());

        Response answer = held.get(20, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("running", answer.jsonPath().getString("state"));
        assertEquals(waited, view.waitedJobs(), "the wait is over");
    }

    @Test
    void aHeldReadOfAJobInAnotherStateOrEndedIsAnsweredAtOnce() throws Exception {
        String queued = submitted();
        String ended = submittedAndCompleted("done", null, true);
        awaitJob(ended, "completed");

        Response other = CompletableFuture.supplyAsync(() -> given().queryParam("wait", "30s")
                        .queryParam("state", "running")
                        .get("/v1/jobs/{id}", queued))
                .get(20, TimeUnit.SECONDS);
        Response end = CompletableFuture.supplyAsync(() -> given().queryParam("wait", "30s")
                        .queryParam("state", "completed")
                        .get("/v1/jobs/{id}", ended))
                .get(20, TimeUnit.SECONDS);

        assertEquals("queued", other.jsonPath().getString("state"), other.asString());
        assertEquals("completed", end.jsonPath().getString("state"), end.asString());
    }

    @Test
    void aJobStillUnknownAfterTheWaitIsA404AndABadWaitIsA400() {
        assertEquals(
                "no job j-nothing is known",
                assertProblem(
                        given().queryParam("wait", "200ms").get("/v1/jobs/j-nothing"),
                        404,
                        TYPES + "job-not-found",
                        "/v1/jobs/j-nothing"));
        assertEquals(
                "query parameter wait must be a duration such as 5s, 500ms, 2m or PT5S, not \"forever\"",
                assertProblem(
                        given().queryParam("wait", "forever").get("/v1/jobs/j-x"), 400, "about:blank", "/v1/jobs/j-x"));
        assertEquals(
                "query parameter wait must be at most 30s, not \"31s\"",
                assertProblem(
                        given().queryParam("wait", "31s").get("/v1/jobs/j-x"), 400, "about:blank", "/v1/jobs/j-x"));
        assertEquals(
                "query parameter state says what to wait for a change of: add wait",
                assertProblem(
                        given().queryParam("state", "queued").get("/v1/jobs/j-x"), 400, "about:blank", "/v1/jobs/j-x"));
        assertEquals(
                "query parameter state must be one of queued, running, publishing, completed, failed, cancelled, not \"done\"",
                assertProblem(
                        given().queryParam("wait", "1s")
                                .queryParam("state", "done")
                                .get("/v1/jobs/j-x"),
                        400,
                        "about:blank",
                        "/v1/jobs/j-x"));
    }

    @Test
    void anUnknownJobIsA404() {
        String detail =
                assertProblem(given().get("/v1/jobs/j-nothing"), 404, TYPES + "job-not-found", "/v1/jobs/j-nothing");

        assertEquals("no job j-nothing is known", detail);
        assertProblem(
                given().get("/v1/jobs/j-nothing/outputs"), 404, TYPES + "job-not-found", "/v1/jobs/j-nothing/outputs");
    }

    @Test
    void outputsBeforeAResultAreA409SayingTheState() {
        String jobId = submitted();
        String path = "/v1/jobs/" + jobId + "/outputs";

        assertEquals(
                "job " + jobId + " is queued; it has no published result yet",
                assertProblem(given().get(path), 409, TYPES + "result-not-published", path));
    }

    @Test
    void aGzipResultIsStreamedByteForByte() {
        String bucket = bucket();
        byte[] archive = new byte[300_000];
        new java.util.Random(7).nextBytes(archive);
        String jobId = submitted();
        String key = "r/" + jobId + ".tar.gz";
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(archive));
        completeInS3(jobId, bucket, key, config.s3().region());

        Response outputs = outputs(jobId, "application/gzip");
        assertArrayEquals(archive, outputs.asByteArray());
    }

    @Test
    void aPlainResultIsStreamedAsATarOfThePrefix() throws IOException {
        String bucket = bucket();
        var files = new LinkedHashMap<String, String>();
        files.put("exitCode", "0");
        files.put("outputs/a.txt", "alpha");
        files.put("stdout", "hello\n");
        String jobId = submitted();
        String prefix = "plain/" + jobId + "/";
        files.forEach((name, content) -> s3.putObject(
                request -> request.bucket(bucket).key(prefix + name),
                RequestBody.fromString(content, StandardCharsets.UTF_8)));
        s3.putObject(request -> request.bucket(bucket).key("other/x"), RequestBody.fromString("not mine"));
        completeInS3(jobId, bucket, prefix, null);

        Response outputs = outputs(jobId, "application/x-tar");
        var read = new LinkedHashMap<String, String>();
        try (var tar = new TarArchiveInputStream(new ByteArrayInputStream(outputs.asByteArray()))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                read.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(files, read);
    }

    @Test
    void networkHostIsRefusedPrecisely() {
        Response response = submit("application/yaml", """
                Tasks:
                  - Name: t
                    Engine: {Type: wasm, Params: {EntryModule: %s}}
                    Network: {Type: Host}
                """.formatted(CID));

        assertEquals(
                "Tasks[0].Network.Type: only None is supported for wasm tasks (guests have no network), not \"Host\"",
                assertProblem(response, 400, TYPES + "invalid-job-spec", "/v1/jobs"));
    }

    @Test
    void anotherContentTypeIsA415() {
        assertProblem(submit("text/plain", "{}"), 415, "about:blank", "/v1/jobs");
    }

    private Response submit(String contentType, String spec) {
        return given().contentType(contentType)
                .body(spec.getBytes(StandardCharsets.UTF_8))
                .post("/v1/jobs");
    }

    /** A job submitted and seen published; its id. */
    private String submitted() {
        Response accepted = submit(
                "application/json",
                "{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \"" + CID
                        + "\"}}}]}");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        return accepted.jsonPath().getString("jobID");
    }

    /** A job submitted, then its COMPLETED event sent in a transaction that is committed or aborted; its id. */
    private String submittedAndCompleted(String stdout, PublishedResult result, boolean commit) {
        String jobId = submitted();
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(terminal(jobId, JobEvent.JobState.COMPLETED, Instant.now(), stdout, result)),
                commit);
        return jobId;
    }

    /** Completes the submitted job with its result at {@code key} in {@code bucket} of the test's S3 endpoint. */
    private void completeInS3(String jobId, String bucket, String key, String region) {
        var result = new PublishedResult(
                "s3", bucket, key, region, config.s3().endpoint().orElseThrow().toString(), null, null, null, null);
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(terminal(jobId, JobEvent.JobState.COMPLETED, Instant.now(), "", result)),
                true);
        awaitJob(jobId, "completed");
    }

    /** The job's outputs, asserted to be streamed (200) as {@code contentType}. */
    private static Response outputs(String jobId, String contentType) {
        Response outputs = given().get("/v1/jobs/{id}/outputs", jobId);
        assertEquals(200, outputs.statusCode(), outputs.asString());
        assertEquals(contentType, outputs.contentType());
        return outputs;
    }

    private String bucket() {
        String bucket = "results-" + UUID.randomUUID();
        s3.createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    private static JobEvent terminal(
            String jobId, JobEvent.JobState state, Instant time, String stdout, PublishedResult result) {
        return new JobEvent(
                jobId,
                "e-1",
                "node-1",
                state,
                time,
                state == JobEvent.JobState.COMPLETED ? 0 : 1,
                stdout,
                "",
                false,
                false,
                state == JobEvent.JobState.FAILED ? "exited with code 1" : null,
                result);
    }
}
