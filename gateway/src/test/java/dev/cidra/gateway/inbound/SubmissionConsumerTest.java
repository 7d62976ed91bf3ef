package dev.cidra.gateway.inbound;

import static dev.cidra.gateway.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.nodes.NodeView;
import dev.cidra.registry.Cid;
import dev.cidra.registry.testing.S3ProxyResource;
import dev.cidra.registry.testing.TestContent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs submitted on {@link Topics#JOB_SUBMISSIONS}: the test produces submissions as any Kafka client would, reads what
 * the gateway publishes on {@link Topics#JOBS} and {@link Topics#DEAD_LETTER}, and follows the jobs over HTTP.
 */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class SubmissionConsumerTest {
    private static final Path CASES = Path.of("src/test/resources/job-specs");

    @Inject
    ObjectMapper json;

    @Inject
    NodeView nodes;

    private KafkaStub executor;
    private KafkaStub deadLetters;

    @BeforeEach
    void stubs() {
        executor = new KafkaStub(json, Topics.JOBS);
        deadLetters = new KafkaStub(json, Topics.DEAD_LETTER);
    }

    @AfterEach
    void close() {
        executor.close();
        deadLetters.close();
    }

    @Test
    void aSpecRecordRunsLikeAnHttpSubmission() throws IOException {
        Instant before = Instant.now();
        RecordMetadata sent = executor.sendBytes(Topics.JOB_SUBMISSIONS, null, spec("wrapped-json-env-map"), Map.of());

        String jobId = jobId("record/" + sent.partition() + "@" + sent.offset());
        var record = awaitRequest(jobId);
        assertPublishedAsSpecified("wrapped-json-env-map", record);
        JobRequest request = executor.decode(record, JobRequest.class);
        assertEquals("e-" + jobId.substring(2), request.executionId());
        assertFalse(request.submittedAt().isBefore(before.minusSeconds(1)), request.submittedAt()::toString);
        Response job = awaitQueued(jobId);
        assertEquals(request.submittedAt(), Instant.parse(job.jsonPath().getString("createdAt")));
    }

    @Test
    void theJobRecordContinuesTheTraceOfTheSubmission() throws IOException {
        String traceId = HexFormat.of().formatHex(TestContent.random(16, 31));
        String submitterSpanId = HexFormat.of().formatHex(TestContent.random(8, 32));
        RecordMetadata sent = executor.sendBytes(
                Topics.JOB_SUBMISSIONS,
                null,
                spec("wrapped-json-env-map"),
                Map.of("traceparent", "00-" + traceId + "-" + submitterSpanId + "-01"));

        var record = awaitRequest(jobId("record/" + sent.partition() + "@" + sent.offset()));
        var traceparent = KafkaStub.header(record, "traceparent").split("-");
        assertEquals(traceId, traceparent[1]);
        assertNotEquals(submitterSpanId, traceparent[2], "the record names the gateway's span, not the submitter's");
    }

    @Test
    void aCloudEventRunsItsDataWithTheEventIdAsJobId() throws IOException {
        String eventId = "event-" + UUID.randomUUID();
        ObjectNode event = json.createObjectNode()
                .put("specversion", "1.0")
                .put("type", "dev.cidra.job.submitted")
                .put("source", "/tests/submissions")
                .put("id", eventId)
                .put("datacontenttype", "application/json");
        event.set("data", json.readTree(spec("minimal-json")));
        executor.sendBytes(Topics.JOB_SUBMISSIONS, null, json.writeValueAsBytes(event), Map.of());

        String jobId = jobId("id/" + eventId);
        assertPublishedAsSpecified("minimal-json", awaitRequest(jobId));
        awaitQueued(jobId);
    }

    @Test
    void theSameIdSubmittedTwiceIsOneJobAndTheSecondIsDeadLetteredNamingIt() throws IOException {
        String id = "twice-" + UUID.randomUUID();
        executor.sendBytes(Topics.JOB_SUBMISSIONS, id, spec("minimal-json"), Map.of(Topics.JOB_ID, id));
        String jobId = jobId("id/" + id);
        awaitRequest(jobId);
        String createdAt = awaitQueued(jobId).jsonPath().getString("createdAt");

        byte[] other = spec("wrapped-json-env-map");
        RecordMetadata second = executor.sendBytes(Topics.JOB_SUBMISSIONS, id, other, Map.of(Topics.JOB_ID, id));
        assertEquals(
                "the submission's id " + jobId.substring(2) + " is taken: job " + jobId + " of tenant default was"
                        + " submitted with it at " + Instant.parse(createdAt) + ", and one id makes one job",
                assertDeadLettered(second, id, other));
        // A later submission on the same partition: once its request is read, a repeated one would have been too.
        String later = "later-" + UUID.randomUUID();
        executor.sendBytes(Topics.JOB_SUBMISSIONS, id, spec("minimal-json"), Map.of(Topics.JOB_ID, later));
        awaitRequest(jobId("id/" + later));

        assertFalse(executor.anyUnclaimed(
                r -> executor.decode(r, JobRequest.class).jobId().equals(jobId)));
        assertEquals("queued", given().get("/v1/jobs/{id}", jobId).jsonPath().getString("state"));
    }

    @Test
    void anInvalidSpecIsDeadLetteredWithTheDetailOfTheHttp400() throws IOException {
        byte[] spec = spec("network-host");
        String id = "invalid-" + UUID.randomUUID();
        RecordMetadata sent = executor.sendBytes(Topics.JOB_SUBMISSIONS, id, spec, Map.of(Topics.JOB_ID, id));

        String reason = assertDeadLettered(sent, id, spec);
        assertEquals(Files.readString(CASES.resolve("network-host/error.txt"), StandardCharsets.UTF_8), reason);
        assertEquals(reason, httpDetail(spec));
        assertEquals(404, given().get("/v1/jobs/{id}", jobId("id/" + id)).statusCode());
    }

    /**
     * A job of a module only a provider node offers, whose providers are all gone: dead-lettered with the reason an
     * HTTP submission and a call get as a 503 {@code no-provider}; nothing is published, and its bytes are not served.
     */
    @Test
    void aJobNeedingAProvidedModuleNoLiveProviderOffersIsDeadLetteredWithTheDetailOfTheHttp503() {
        String cid = Cid.rawOf(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .toString();
        Instant gone = Instant.now().minusSeconds(60);
        nodes.announced(new NodeInfo(
                "gone-provider",
                "0.1.0",
                "GraalVM CE",
                "COMPILED",
                Map.of(),
                List.of(),
                List.of(cid),
                1,
                0,
                gone,
                gone,
                1_000,
                null,
                null));
        byte[] spec =
                ("{\"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\": \"wasm\", \"Params\": {\"EntryModule\": \""
                                + cid + "\"}}}]}")
                        .getBytes(StandardCharsets.UTF_8);
        String id = "provided-" + UUID.randomUUID();
        RecordMetadata sent = executor.sendBytes(Topics.JOB_SUBMISSIONS, id, spec, Map.of(Topics.JOB_ID, id));

        String reason = assertDeadLettered(sent, id, spec);
        assertEquals(
                "module " + cid + " is served only by provider nodes, and none is live (the last to offer it was node"
                        + " gone-provider); start a provider node holding it, then call again",
                reason);
        String noProvider = "tag:cidra.dev,2026:problems/no-provider";
        assertEquals(
                reason,
                assertProblem(
                        given().contentType("application/json").body(spec).post("/v1/jobs"),
                        503,
                        noProvider,
                        "/v1/jobs"));
        String invoke = "/v1/functions/" + cid + "/invoke";
        assertEquals(reason, assertProblem(given().post(invoke), 503, noProvider, invoke));
        String content = "/v1/modules/" + cid + "/content";
        assertTrue(
                assertProblem(given().get(content), 404, "tag:cidra.dev,2026:problems/module-not-found", content)
                        .startsWith("module " + cid + " is served only by provider nodes (node gone-provider"),
                content);
        assertEquals(404, given().get("/v1/jobs/{id}", jobId("id/" + id)).statusCode());
    }

    @Test
    void aValueThatIsNotJsonIsDeadLetteredAsMalformed() {
        byte[] value = "Tasks: [not, json".getBytes(StandardCharsets.UTF_8);
        RecordMetadata sent = executor.sendBytes(Topics.JOB_SUBMISSIONS, "k", value, Map.of());

        String reason = assertDeadLettered(sent, "k", value);
        assertEquals(httpDetail(value), reason);
        assertTrue(reason.startsWith("malformed JSON at line 1, column "), reason);
    }

    @Test
    void aCloudEventOfAnotherContentTypeIsDeadLettered() throws IOException {
        ObjectNode event = json.createObjectNode()
                .put("specversion", "1.0")
                .put("type", "t")
                .put("source", "s")
                .put("id", UUID.randomUUID().toString())
                .put("datacontenttype", "application/yaml");
        event.set("data", json.readTree(spec("minimal-json")));
        byte[] value = json.writeValueAsBytes(event);
        RecordMetadata sent = executor.sendBytes(Topics.JOB_SUBMISSIONS, "k", value, Map.of());

        assertEquals(
                "datacontenttype: must be application/json (the spec as JSON in data), not \"application/yaml\"",
                assertDeadLettered(sent, "k", value));
    }

    private static byte[] spec(String specCase) throws IOException {
        return Files.readAllBytes(CASES.resolve(specCase).resolve("spec.json"));
    }

    /**
     * The job id the gateway derives from a submission's name ({@code id/...} or {@code record/...}) in the tenant of
     * {@code cidra.auth.kafka-submission-tenant} (here the default).
     */
    private static String jobId(String name) {
        return "j-"
                + UUID.nameUUIDFromBytes(
                        ("default/" + Topics.JOB_SUBMISSIONS + "/" + name).getBytes(StandardCharsets.UTF_8));
    }

    private ConsumerRecord<byte[], byte[]> awaitRequest(String jobId) {
        return executor.await(r -> executor.decode(r, JobRequest.class).jobId().equals(jobId));
    }

    /** Asserts that the published request is the case's {@code expected.json} (as {@code JobSpecCasesTest} does). */
    private void assertPublishedAsSpecified(String specCase, ConsumerRecord<byte[], byte[]> record) throws IOException {
        ObjectNode actual = (ObjectNode) json.readTree(record.value());
        actual.remove(List.of("jobId", "executionId", "submittedAt"));
        JsonNode expected =
                json.readTree(CASES.resolve(specCase).resolve("expected.json").toFile());
        assertEquals(expected, actual, () -> "published " + actual.toPrettyString());
        assertEquals(actual.get("moduleCid").asText(), KafkaStub.key(record));
    }

    /** The dead letter of the record {@code sent}, asserted to be a copy of it; its reason. */
    private String assertDeadLettered(RecordMetadata sent, String key, byte[] value) {
        String origin = Topics.JOB_SUBMISSIONS + "-" + sent.partition() + "@" + sent.offset();
        var letter = deadLetters.await(r -> origin.equals(KafkaStub.header(r, Topics.DEAD_LETTER_ORIGIN)));
        assertEquals(key, KafkaStub.key(letter));
        assertArrayEquals(value, letter.value());
        return KafkaStub.header(letter, Topics.DEAD_LETTER_REASON);
    }

    /** The detail of the 400 that {@code POST /v1/jobs} answers to the same JSON. */
    private static String httpDetail(byte[] spec) {
        return assertProblem(
                given().contentType("application/json").body(spec).post("/v1/jobs"),
                400,
                "tag:cidra.dev,2026:problems/invalid-job-spec",
                "/v1/jobs");
    }

    private static Response awaitQueued(String jobId) {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        Response job = given().get("/v1/jobs/{id}", jobId);
        while (job.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
            job = given().get("/v1/jobs/{id}", jobId);
        }
        assertEquals(200, job.statusCode(), job::asString);
        assertEquals("queued", job.jsonPath().getString("state"));
        return job;
    }
}
