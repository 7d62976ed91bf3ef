package dev.cidra.gateway.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.gateway.KafkaResource;
import dev.cidra.gateway.KafkaStub;
import dev.cidra.gateway.TestTokens;
import dev.cidra.registry.testing.S3ProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's headless Chromium (driven by Selenium through Debian's chromedriver; {@code .ci/browser.sh}
 * installs both): pages load, a job submitted through the API is listed with its stdout and result, a failed job shows
 * its reason, unknown ids show a not-found page. The test plays the executor on Kafka. Each page's screenshot goes to
 * {@code target/console-screenshots/} (the README's pictures are copies).
 */
@QuarkusTest
@WithTestResource(S3ProxyResource.class)
@WithTestResource(KafkaResource.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final String RESULT_CID = "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi";
    private static final String CID = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a";
    private static ChromeDriver browser;
    private static Path profile;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ObjectMapper json;

    @Inject
    Admin admin;

    private KafkaStub executor;

    @BeforeAll
    static void browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console test needs Debian's chromium and chromium-driver (" + CHROMIUM
                    + ", " + CHROMEDRIVER + "): run .ci/browser.sh once (apt-get install)");
        }
        profile = Files.createTempDirectory("cidra-chromium");
        var options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,900",
                        "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void executor() {
        executor = new KafkaStub(json, Topics.JOBS);
    }

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void aCompletedJobIsListedWithItsTimelineStdoutAndResult() throws Exception {
        String jobId = submit();
        Instant started = Instant.now();
        executor.send(Topics.JOB_EVENTS, jobId, event(jobId, JobEvent.JobState.RUNNING, started, null, null), Map.of());
        var result = PublishedResult.local("http://127.0.0.1:1/v1/results/e-1", RESULT_CID, null, null);
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(event(
                        jobId,
                        JobEvent.JobState.COMPLETED,
                        started.plusMillis(40),
                        "hello <b>from</b> the guest\n",
                        result)),
                true);
        awaitState(jobId, "completed");

        open("#/jobs");
        WebElement row = wait(By.cssSelector("tr[data-job='" + jobId + "']"));
        assertTrue(row.getText().contains("completed"), row.getText());
        screenshot("jobs");

        row.findElement(By.tagName("a")).click();
        WebElement stdout = wait(By.cssSelector(".execution pre.stdout"));
        assertEquals("hello <b>from</b> the guest", stdout.getText(), "guest output is shown as text, never as markup");
        assertTrue(browser.findElements(By.cssSelector(".execution b")).isEmpty(), "no markup from the guest");
        assertTrue(browser.findElement(By.id("result")).getText().contains("/v1/results/e-1"));
        assertEquals(
                RESULT_CID,
                browser.findElement(By.cssSelector("#result .result-cid")).getText());
        assertTrue(browser.findElement(By.cssSelector("svg.timeline rect")).isDisplayed(), "the execution's bar");
        screenshot("job");
    }

    @Test
    void aFailedJobShowsItsReason() throws Exception {
        String jobId = submit();
        executor.sendInTransaction(
                Topics.JOB_EVENTS,
                jobId,
                List.of(event(jobId, JobEvent.JobState.FAILED, Instant.now(), "", null)),
                true);
        awaitState(jobId, "failed");

        open("#/jobs/" + jobId);
        WebElement reason = wait(By.cssSelector(".execution .reason"));
        assertEquals("exited with code 3: no input given", reason.getText());
        assertTrue(browser.findElement(By.cssSelector("h1 .state")).getText().contains("failed"));
    }

    @Test
    void theGatewaysAddressIsTheConsole() {
        var root = given().redirects().follow(false).get("/");
        assertEquals(303, root.statusCode());
        assertTrue(root.header("Location").endsWith("/console/"), root.header("Location"));
        open("");
        assertEquals("Cidra console", browser.getTitle());
        assertTrue(wait(By.cssSelector("nav a.active")).getText().equals("Jobs"), "jobs is the first page");
    }

    @Test
    void withoutATokenTheConsoleAsksForOneAndAnotherTenantsJobIsNotFound() {
        String jobId = submit();
        openAs(null, "#/jobs");
        assertTrue(wait(By.id("needs-token")).getText().contains("./cidra token"));
        assertTenantBDoesNotSee("jobs", "job", jobId, "no job " + jobId + " is known", "main table");
    }

    @Test
    void unknownIdsShowANotFoundPage() {
        open("#/jobs/no-such-job");
        assertTrue(wait(By.id("not-found")).getText().contains("no job no-such-job is known"));
        open("#/nodes/no-such-node");
        assertTrue(wait(By.id("not-found")).getText().contains("no live node no-such-node"));
    }

    @Test
    void nodesAndTheirModulesAreShown() throws Exception {
        String nodeId = "node-" + UUID.randomUUID();
        announce(node(nodeId, Map.of("zone", "local"), List.of(CID), 1, new NodeInfo.Cache(3, 1, 0, 4_096), Map.of()));
        open("#/nodes");
        WebElement row = wait(By.cssSelector("tr[data-node='" + nodeId + "']"));
        assertTrue(row.getText().contains("GraalVM CE (COMPILED)"), row.getText());
        assertEquals("75% hits of 4", row.findElement(By.className("cache")).getText());
        assertTrue(row.getText().contains("live,"), row.getText());
        assertTrue(row.getText().contains("zone=local"), row.getText());
        screenshot("nodes");

        open("#/modules");
        WebElement modules = wait(By.cssSelector("table#modules tbody tr"));
        assertTrue(modules.getText().contains(CID), modules.getText());
        screenshot("modules");
    }

    @Test
    void aTriggersPageShowsItsRecordsAndLagAndOnlyItsTenantSeesIt() throws Exception {
        String name = "console-" + UUID.randomUUID();
        String topic = name + ".in";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        var created = given().contentType("application/json")
                .body(Map.of("name", name, "topic", topic, "module", CID, "output", Map.of("topic", name + ".out")))
                .post("/v1/triggers");
        assertEquals(201, created.statusCode(), created.asString());
        Trigger trigger = json.readValue(created.asByteArray(), Trigger.class);
        for (int i = 0; i < 7; i++) {
            executor.sendBytes(topic, "k", ("record " + i).getBytes(StandardCharsets.UTF_8), Map.of());
        }
        admin.alterConsumerGroupOffsets(
                        trigger.groupId(), Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4)))
                .all()
                .get();
        String nodeId = "node-" + UUID.randomUUID();
        announce(node(
                nodeId,
                Map.of(),
                List.of(),
                0,
                NodeInfo.Cache.NONE,
                Map.of(trigger.id(), new NodeInfo.TriggerCounts(3, 1, 5))));

        open("#/triggers/" + name);
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.textToBe(By.cssSelector("#trigger-stats .dead-lettered"), "1"));
        assertEquals(
                "4",
                browser.findElement(By.cssSelector("#trigger-stats .consumed")).getText());
        assertEquals(
                "3", browser.findElement(By.cssSelector("#trigger-stats .lag")).getText());
        assertEquals(
                "5",
                browser.findElement(By.cssSelector("#trigger-stats .failed-attempts"))
                        .getText());
        screenshot("trigger");

        open("#/triggers");
        WebElement row = wait(By.cssSelector("tr[data-trigger='" + name + "']"));
        assertEquals("3", row.findElement(By.className("lag")).getText());
        screenshot("triggers");

        assertTenantBDoesNotSee("triggers", "trigger", name, "no trigger " + name + " is defined", "table#triggers");
    }

    @Test
    void theJobsListFiltersByLabel() {
        String labelled = submit("{\"team\": \"search\"}");
        String other = submit("{\"team\": \"ads\"}");
        open("#/jobs?label=team%3Dsearch");
        WebElement row = wait(By.cssSelector("tr[data-job='" + labelled + "']"));
        assertEquals("team=search", row.findElement(By.className("labels")).getText());
        assertTrue(
                browser.findElements(By.cssSelector("tr[data-job='" + other + "']"))
                        .isEmpty(),
                "not team=ads");
        assertEquals(
                "team=search",
                browser.findElement(By.cssSelector("#label-filter input")).getAttribute("value"));
    }

    /**
     * Tenant B's console shows a not-found page for {@code id} at {@code #/<page>/<id>} and no row for it in the list
     * at {@code #/<page>} (a table matching {@code table}, rows carrying {@code data-<kind>}).
     */
    private void assertTenantBDoesNotSee(String page, String kind, String id, String notFound, String table) {
        openAs(TestTokens.TENANT_B, "#/" + page + "/" + id);
        assertTrue(wait(By.id("not-found")).getText().contains(notFound));
        openAs(TestTokens.TENANT_B, "#/" + page);
        wait(By.cssSelector(table));
        assertTrue(
                browser.findElements(By.cssSelector("tr[data-" + kind + "='" + id + "']"))
                        .isEmpty(),
                "not B's " + kind);
    }

    /** A live node of two slots, heard from just now. */
    private static NodeInfo node(
            String nodeId,
            Map<String, String> labels,
            List<String> linked,
            int running,
            NodeInfo.Cache cache,
            Map<String, NodeInfo.TriggerCounts> triggers) {
        return new NodeInfo(
                nodeId,
                "0.1.0-SNAPSHOT",
                "GraalVM CE",
                "COMPILED",
                labels,
                linked,
                List.of(),
                2,
                running,
                Instant.now(),
                Instant.now(),
                60_000,
                cache,
                triggers);
    }

    /** Announces {@code node} on the nodes topic, as its executor would. */
    private void announce(NodeInfo node) {
        executor.send(Topics.NODES, node.nodeId(), node, Map.of());
    }

    private String submit() {
        return submit("{}");
    }

    private String submit(String labels) {
        var accepted = given().contentType("application/json")
                .body("{\"Job\": {\"Labels\": " + labels + ", \"Tasks\": [{\"Name\": \"t\", \"Engine\": {\"Type\":"
                        + " \"wasm\", \"Params\": {\"EntryModule\": \"" + CID + "\"}}}]}}")
                .post("/v1/jobs");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        return accepted.jsonPath().getString("jobID");
    }

    private static JobEvent event(
            String jobId, JobEvent.JobState state, Instant time, String stdout, PublishedResult result) {
        boolean terminal = state.terminal();
        return new JobEvent(
                jobId,
                "e-1",
                "node-1",
                state,
                time,
                terminal ? (state == JobEvent.JobState.COMPLETED ? 0 : 3) : null,
                terminal ? stdout : null,
                terminal ? "" : null,
                false,
                false,
                state == JobEvent.JobState.FAILED ? "exited with code 3: no input given" : null,
                result);
    }

    private static void awaitState(String jobId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaStub.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var job = given().get("/v1/jobs/{id}", jobId);
            if (job.statusCode() == 200 && state.equals(job.jsonPath().getString("state"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + jobId + " never became " + state);
    }

    /** Opens a page of the console as the admin of the test keys. */
    private void open(String hash) {
        openAs(TestTokens.ADMIN, hash);
    }

    /** Opens a page of the console with {@code token} in its token box's storage (null: none). */
    private void openAs(String token, String hash) {
        browser.get(root + "console/");
        if (token == null) {
            browser.executeScript("localStorage.removeItem('cidra.token')");
        } else {
            browser.executeScript("localStorage.setItem('cidra.token', arguments[0])", token);
        }
        browser.get(root + "console/" + hash);
        browser.navigate().refresh();
    }

    private static WebElement wait(By what) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(ExpectedConditions.visibilityOfElementLocated(what));
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                screenshot("failed");
            } catch (IOException ignored) {
                // the assertion below says what matters
            }
            throw new AssertionError(
                    "no " + what + " on " + browser.getCurrentUrl() + ", which shows: "
                            + browser.findElement(By.tagName("main")).getText(),
                    e);
        }
    }

    private static void screenshot(String page) throws IOException {
        Files.write(SCREENSHOTS.resolve(page + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
