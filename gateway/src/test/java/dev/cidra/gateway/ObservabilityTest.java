package dev.cidra.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(S3ProxyResource.class)
class ObservabilityTest {

    @Test
    void readyWhenTheBucketAnswers() {
        Response ready = given().get("/q/health/ready");

        assertEquals(200, ready.statusCode(), ready.asString());
        assertEquals("UP", ready.jsonPath().getString("status"));
        assertEquals(List.of("module-storage"), ready.jsonPath().getList("checks.name"));
        assertEquals("s3://cidra-modules/modules/", ready.jsonPath().getString("checks[0].data.store"));
        assertEquals(200, given().get("/q/health/live").statusCode());
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
