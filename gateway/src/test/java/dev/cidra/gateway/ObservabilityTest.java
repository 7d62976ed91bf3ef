package dev.cidra.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ObservabilityTest {

    @Test
    void readyWhenTheBucketAndKafkaAnswerAndTheJobViewCaughtUp() {
        Response ready = awaitReady();

        assertEquals("UP", ready.jsonPath().getString("status"));
        assertEquals(
                List.of("job-view", "kafka", "module-storage", "triggers"),
                ready.jsonPath().getList("checks.name").stream().sorted().toList());
        assertEquals(
                "s3://cidra-modules/modules/",
                ready.jsonPath().getString("checks.find { it.name == 'module-storage' }.data.store"));
        assertEquals(1, ready.jsonPath().getInt("checks.find { it.name == 'kafka' }.data.brokers"));
        assertEquals(200, given().get("/q/health/live").statusCode());
    }

    /** Readiness, polled until UP (the job view reads the events already in Kafka first). */
    public static Response awaitReady() {
        Instant deadline = Instant.now().plus(KafkaStub.WAIT);
        Response ready = given().get("/q/health/ready");
        while (ready.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
            ready = given().get("/q/health/ready");
        }
        assertEquals(200, ready.statusCode(), ready.asString());
        return ready;
    }

    @Test
    void theOpenApiDocumentDescribesInvocationsAndJobs() {
        JsonPath api = given().accept("application/json").get("/q/openapi").jsonPath();

        Map<String, Object> invoke = api.getMap("paths.'/v1/functions/{cid}/invoke'.post.responses");
        assertTrue(
                invoke.keySet().containsAll(List.of("200", "400", "413", "422", "500", "502", "503", "504")),
                invoke::toString);
        assertTrue(api.getMap("paths.'/v1/jobs'.post.responses").keySet().containsAll(List.of("202", "400", "503")));
        assertTrue(api.getMap("paths.'/v1/jobs/{id}'.get.responses").keySet().containsAll(List.of("200", "404")));
        assertTrue(api.getMap("paths.'/v1/jobs/{id}/outputs'.get.responses")
                .keySet()
                .containsAll(List.of("200", "404", "409")));
    }

    @Test
    void metricsCountUploadsByOutcomeAndTimeThem() {
        String before = metrics();

        assertEquals(201, upload(WasmFixtures.uniqueLib()).statusCode());
        assertEquals(400, upload(new byte[] {1, 2, 3}).statusCode());
        String after = metrics();

        for (String series : List.of(
                "cidra_module_uploads_total{outcome=\"created\"",
                "cidra_module_uploads_total{outcome=\"invalid\"",
                "cidra_module_upload_duration_seconds_count{outcome=\"created\"")) {
            assertEquals(value(before, series) + 1, value(after, series), () -> series + " in\n" + after);
        }
    }

    @Test
    void kafkaClientsPublishTheirOwnMetricsAmongThemConsumerLag() throws java.io.IOException {
        awaitReady(); // the reply and event readers have polled
        String scrape = metrics();
        // The readers of replies and job events, outside any group, and the submissions' group consumer.
        for (String client : List.of("cidra-gateway-cidra.replies", "cidra-gateway-cidra.job-events")) {
            assertTrue(
                    scrape.lines()
                            .anyMatch(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                                    && line.contains("client_id=\"" + client + "\"")),
                    () -> client + " in\n" + scrape);
        }
        assertTrue(scrape.contains("kafka_producer_record_send_total{"), scrape);
        var evidence = java.nio.file.Path.of("target", "observability", "gateway-metrics.txt");
        java.nio.file.Files.createDirectories(evidence.getParent());
        java.nio.file.Files.writeString(evidence, scrape);
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpointsAndTheirProblems() {
        JsonPath api = given().accept("application/json").get("/q/openapi").jsonPath();

        Map<String, Object> upload = api.getMap("paths.'/v1/modules'.post.responses");
        assertTrue(
                upload.keySet().containsAll(List.of("200", "201", "400", "413", "415", "500", "503")),
                upload::toString);
        for (String status : List.of("400", "413", "415")) {
            assertEquals(
                    "#/components/schemas/Problem",
                    api.getString("paths.'/v1/modules'.post.responses.'" + status
                            + "'.content.'application/problem+json'.schema.$ref"));
        }
        assertEquals(
                "#/components/responses/ModuleNotFound",
                api.getString("paths.'/v1/modules/{cid}'.get.responses.'404'.$ref"));
        assertEquals(
                "#/components/responses/InvalidCid",
                api.getString("paths.'/v1/modules/{cid}/content'.get.responses.'400'.$ref"));
        assertEquals(
                List.of("detail", "instance", "status", "title", "type"),
                api.getList("components.schemas.Problem.properties.keySet().sort()"));
        assertEquals(200, given().get("/q/swagger-ui/").statusCode());
    }

    private static Response upload(byte[] body) {
        return given().contentType("application/wasm").body(body).post("/v1/modules");
    }

    private static String metrics() {
        Response response = given().accept("text/plain").get("/q/metrics");
        assertEquals(200, response.statusCode());
        return response.asString();
    }

    /**
     * The value of the sample whose name and labels start with {@code series} (a metric name and its first labels, up
     * to a closing quote) in Prometheus text; 0 if absent.
     */
    private static double value(String metrics, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + "[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
