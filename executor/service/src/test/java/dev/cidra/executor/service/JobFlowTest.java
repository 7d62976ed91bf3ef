package dev.cidra.executor.service;

import static dev.cidra.executor.service.FlowFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cidra.contract.Deterministic;
import dev.cidra.contract.InputSource;
import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobEvent.JobState;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.ModuleSources;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.messaging.Cancellations;
import dev.cidra.registry.Cid;
import dev.cidra.registry.UnixFs;
import dev.cidra.registry.testing.S3ProxyResource;
import dev.cidra.registry.testing.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Jobs through a real in-process Kafka broker (events read with {@code read_committed}), modules, inputs and results
 * in a real S3Proxy, URL inputs from a JDK HTTP server, IPFS inputs through a test trustless gateway. The guest is
 * {@code jobs/copy.wasm}: {@code copy EXIT_CODE [SRC DST]...}.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = JobsResource.class, restrictToAnnotatedClass = true)
class JobFlowTest {
    /** The token of {@code src/test/resources/auth/gateway-token}, which the test profile configures. */
    static final String GATEWAY_TOKEN = "cidra_test-gateway-token-000000000000000000000000000";

    private static final Instant SUBMITTED = Instant.parse("2024-03-05T06:07:08Z");
    private static final byte[] SMALL = "a small download\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BIG = TestContent.random(2 * JobsResource.MAX_URL_BYTES, 7);

    private static HttpServer web;

    @Inject
    ObjectMapper json;

    @Inject
    ExecutorConfig config;

    @Inject
    S3Client s3;

    @Inject
    FlowFixture fixture;

    @Inject
    Cancellations cancellations;

    /** Serves {@code /small.txt} (with a length) and {@code /big.bin} (chunked, over the URL cap). */
    @BeforeAll
    static void startWebServer() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/small.txt", exchange -> {
            exchange.sendResponseHeaders(200, SMALL.length);
            try (var body = exchange.getResponseBody()) {
                body.write(SMALL);
            }
        });
        web.createContext("/big.bin", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the cap is enforced while reading
            try (var body = exchange.getResponseBody()) {
                body.write(BIG);
            } catch (IOException e) {
                // the executor hung up at the cap
            }
        });
        web.start();
    }

    @AfterAll
    static void stopWebServer() {
        if (web != null) {
            web.stop(0);
        }
    }

    /** A {@code test.jobs.*} value of {@link JobsResource}, read when used (other test classes do not set them). */
    private static String testConfig(String name) {
        return ConfigProvider.getConfig().getValue("test.jobs." + name, String.class);
    }

    @Test
    void s3PrefixInputAndGzipResult() throws Exception {
        var module = uploadGuest();
        String in = bucket("in");
        String out = bucket("out");
        put(in, "data/a.txt", "alpha\n");
        put(in, "data/sub/b.txt", "beta beta\n");
        put(in, "data/c.log", "filtered out\n");
        put(in, "other/d.txt", "not below the prefix\n");
        var job = job(
                module,
                List.of("0", "/inputs/a.txt", "/outputs/a.txt", "/inputs/sub/b.txt", "/outputs/sub/b.txt"),
                List.of(input(InputSource.S3, Map.of("Bucket", in, "Key", "data/", "Filter", "\\.txt$"), "/inputs")),
                new Publisher(
                        Publisher.S3,
                        Map.of("Bucket", out, "Key", "results/{jobID}/{executionID}-{nodeID}-{date}-{time}")));
        submit(job);
        var event = awaitTerminal(job.jobId());

        String stdout =
                "/inputs/a.txt -> /outputs/a.txt (6 bytes)\n/inputs/sub/b.txt -> /outputs/sub/b.txt (10 bytes)\n";
        assertEquals(JobState.COMPLETED, event.state(), event.error());
        assertEquals(0, event.exitCode());
        assertEquals(stdout, event.stdout());
        assertEquals("exiting with 0\n", event.stderr());
        assertEquals(JobsResource.NODE_ID, event.nodeId());
        String key = "results/" + job.jobId() + "/" + job.executionId() + "-test-node-20240305-060708.tar.gz";
        PublishedResult result = event.result();
        assertEquals(Publisher.S3, result.type());
        assertEquals(out, result.bucket());
        assertEquals(key, result.key());
        assertEquals(config.s3().region(), result.region());
        assertEquals(config.s3().endpoint().orElseThrow().toString(), result.endpoint());
        byte[] archive = s3.getObjectAsBytes(b -> b.bucket(out).key(key)).asByteArray();
        assertEquals(base64Sha256(archive), result.checksumSha256());
        var entries = new LinkedHashMap<String, String>();
        entries.put("exitCode", "0");
        entries.put("outputs/", null);
        entries.put("outputs/a.txt", "alpha\n");
        entries.put("outputs/sub/", null);
        entries.put("outputs/sub/b.txt", "beta beta\n");
        entries.put("stderr", "exiting with 0\n");
        entries.put("stdout", stdout);
        assertEquals(entries, untar(archive));
        assertEquals(directoryCid(untarBytes(archive)), result.cid(), "the CID of the archive's tree");
        assertEquals(List.of(key), keys(out));
        assertEquals(event, marker(job.executionId()));
        assertWorkDirEmpty();
    }

    @Test
    void deterministicJobsPrintAndWriteTheSameBytesAndLiveOnesDoNot() throws Exception {
        var module = fixture.upload(Files.readAllBytes(Path.of(System.getProperty("conformance.dir"))
                .resolveSibling("runtime")
                .resolve("deterministic.wasm")));
        String out = bucket("out");
        var runs = new ArrayList<List<String>>();
        for (Deterministic deterministic :
                new Deterministic[] {new Deterministic(7L), new Deterministic(7L), null, null}) {
            var plain = job(
                    module,
                    List.of(),
                    List.of(),
                    new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", "{jobID}", "Encoding", Publisher.PLAIN)));
            var job = new JobRequest(
                    plain.jobId(),
                    plain.executionId(),
                    plain.submittedAt(),
                    plain.moduleCid(),
                    null,
                    List.of(),
                    Map.of(),
                    null,
                    List.of(),
                    null,
                    plain.publisher(),
                    plain.memoryBytes(),
                    plain.timeoutMillis(),
                    0,
                    null,
                    deterministic,
                    null,
                    null,
                    null);
            submit(job);
            var event = awaitTerminal(job.jobId());
            assertEquals(JobState.COMPLETED, event.state(), event.error());
            runs.add(List.of(text(out, job.jobId() + "/stdout"), text(out, job.jobId() + "/outputs/report.txt")));
        }
        assertTrue(runs.get(0).get(0).contains("realtime"), runs.get(0).get(0));
        assertEquals(runs.get(0), runs.get(1), "two deterministic runs: the same stdout and /outputs");
        assertNotEquals(runs.get(2).get(0), runs.get(3).get(0), "two live runs differ");
    }

    @Test
    void urlInputPlainResultAndNonZeroExit() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/small.txt";
        var job = job(
                module,
                List.of("3", "/data/small.txt", "/outputs/copy/small.txt"),
                List.of(input(InputSource.URL, Map.of("URL", url), "/data")),
                new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", "{jobID}", "Encoding", Publisher.PLAIN)));
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.FAILED, event.state());
        assertEquals("the guest exited with code 3", event.error());
        assertEquals(3, event.exitCode());
        String prefix = job.jobId() + "/";
        assertEquals(prefix, event.result().key());
        assertNull(event.result().checksumSha256());
        assertEquals(
                List.of(prefix + "exitCode", prefix + "outputs/copy/small.txt", prefix + "stderr", prefix + "stdout"),
                keys(out));
        assertEquals("3", text(out, prefix + "exitCode"));
        assertArrayEquals(
                SMALL,
                s3.getObjectAsBytes(b -> b.bucket(out).key(prefix + "outputs/copy/small.txt"))
                        .asByteArray());
        assertEquals("/data/small.txt -> /outputs/copy/small.txt (17 bytes)\n", text(out, prefix + "stdout"));
        assertEquals(event, marker(job.executionId()));
    }

    @Test
    void localDirectoryAndIpfsInputsWithTheLocalPublisherServedOverHttp() throws Exception {
        var module = uploadGuest();
        String ipfsCid = testConfig("ipfs-cid");
        Path source = Files.createDirectories(Path.of(testConfig("allowed-ro")).resolve("job-" + UUID.randomUUID()));
        Files.writeString(source.resolve("local.txt"), "from the host\n");
        var job = job(
                module,
                List.of("0", "/local/local.txt", "/outputs/local.txt", "/ipfs/data.bin", "/outputs/ipfs.bin"),
                List.of(
                        input(InputSource.LOCAL_DIRECTORY, Map.of("SourcePath", source.toString()), "/local"),
                        // A file CID is the file at its target.
                        input(InputSource.IPFS, Map.of("CID", ipfsCid), "/ipfs/data.bin")),
                new Publisher(Publisher.LOCAL, Map.of()));
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.COMPLETED, event.state(), event.error());
        String url = config.jobs().publicUrl() + "/v1/results/" + job.executionId();
        assertEquals(
                PublishedResult.local(
                        url,
                        event.result().cid(),
                        event.result().bytes(),
                        event.result().expiresAt()),
                event.result());
        assertEquals(
                event.time().plus(config.jobs().resultsRetention()).getEpochSecond(),
                event.result().expiresAt().getEpochSecond(),
                1,
                "kept for the retention from its publication");
        try (var http = HttpClient.newHttpClient()) {
            var anonymous =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertEquals(
                    "application/problem+json",
                    anonymous.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(anonymous
                    .headers()
                    .firstValue("WWW-Authenticate")
                    .orElseThrow()
                    .startsWith("Bearer"));
            var wrong = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + GATEWAY_TOKEN + "x")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            assertEquals(
                    "the bearer token is not the gateways' token",
                    json.readTree(wrong.body()).get("detail").asText());

            var response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + GATEWAY_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertEquals(
                    "application/gzip",
                    response.headers().firstValue("Content-Type").orElseThrow());
            var entries = untarBytes(response.body());
            assertEquals(
                    List.of("exitCode", "outputs/", "outputs/ipfs.bin", "outputs/local.txt", "stderr", "stdout"),
                    new ArrayList<>(entries.keySet()));
            assertArrayEquals(
                    TestContent.random(JobsResource.IPFS_CONTENT_LENGTH, JobsResource.IPFS_CONTENT_SEED),
                    entries.get("outputs/ipfs.bin"));
            assertEquals(directoryCid(entries), event.result().cid(), "the CID of the archive's tree");
            assertEquals(response.body().length, event.result().bytes(), "the archive's size, counted in the quota");
            assertEquals("from the host\n", new String(entries.get("outputs/local.txt"), StandardCharsets.UTF_8));

            var unknown = http.send(
                    HttpRequest.newBuilder(URI.create(config.jobs().publicUrl() + "/v1/results/no-such-execution"))
                            .header("Authorization", "Bearer " + GATEWAY_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode());
            assertEquals(
                    "application/problem+json",
                    unknown.headers().firstValue("Content-Type").orElseThrow());
            var problem = json.readTree(unknown.body());
            assertEquals(404, problem.get("status").asInt());
            assertEquals(
                    "this node keeps no result of execution no-such-execution",
                    problem.get("detail").asText());

            var notAToken = http.send(
                    HttpRequest.newBuilder(URI.create(config.jobs().publicUrl() + "/v1/results/.hidden"))
                            .header("Authorization", "Bearer " + GATEWAY_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, notAToken.statusCode());
            assertEquals(400, json.readTree(notAToken.body()).get("status").asInt());
        }
    }

    @Test
    void anIpfsDirectoryCidIsThatDirectoryAtItsTarget() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var tree = List.of(
                new UnixFs.TreeEntry("image.ppm", () -> new ByteArrayInputStream(SMALL)),
                new UnixFs.TreeEntry("sub", null),
                new UnixFs.TreeEntry("sub/notes.txt", () -> new ByteArrayInputStream("notes\n".getBytes())));
        Cid cid = UnixFs.addDirectory(tree, 1, JobsResource.ipfs()::serve);
        var job = s3Job(
                module, List.of(input(InputSource.IPFS, Map.of("CID", cid.toString()), "/inputs")), out, "{jobID}");
        job = new JobRequest(
                job.jobId(),
                job.executionId(),
                job.submittedAt(),
                job.moduleCid(),
                null,
                List.of("0", "/inputs/image.ppm", "/outputs/image.ppm", "/inputs/sub/notes.txt", "/outputs/notes.txt"),
                Map.of(),
                null,
                job.inputs(),
                null,
                new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", "{jobID}", "Encoding", Publisher.PLAIN)),
                job.memoryBytes(),
                job.timeoutMillis(),
                0);
        submit(job);

        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.COMPLETED, event.state(), event.error());
        assertEquals(new String(SMALL, StandardCharsets.UTF_8), text(out, job.jobId() + "/outputs/image.ppm"));
        assertEquals("notes\n", text(out, job.jobId() + "/outputs/notes.txt"));
    }

    @Test
    void readWriteLocalDirectoryIsWrittenInPlace() throws Exception {
        var module = uploadGuest();
        Path dir = Files.createDirectories(Path.of(testConfig("allowed-rw")).resolve("job-" + UUID.randomUUID()));
        Files.writeString(dir.resolve("in.txt"), "read and written\n");
        var job = job(
                module,
                List.of("0", "/work/in.txt", "/work/out/copy.txt"),
                List.of(input(
                        InputSource.LOCAL_DIRECTORY,
                        Map.of("SourcePath", dir.toString(), "ReadWrite", "true"),
                        "/work")),
                null);
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.COMPLETED, event.state(), event.error());
        assertNull(event.result());
        assertEquals("read and written\n", Files.readString(dir.resolve("out/copy.txt")));
    }

    @Test
    void anInputOnTheModuleBucketIsRefusedBeforeAnyRequest() throws Exception {
        String modules = config.registry().bucket();
        var input = input(InputSource.S3, Map.of("Bucket", modules, "Key", "modules/"), "/inputs");
        assertInputFails(
                input,
                "input 1 (s3://" + modules + "/modules/ at /inputs): bucket " + modules + " holds the platform's own"
                        + " state (modules, execution markers): no job may read it, so s3://" + modules
                        + "/modules/ is refused");
    }

    @Test
    void anInputOnAnEndpointTheOperatorDidNotAllowIsRefused() throws Exception {
        String in = bucket("in");
        put(in, "x.txt", "x\n");
        var input = input(
                InputSource.S3, Map.of("Bucket", in, "Key", "x.txt", "Endpoint", "http://127.0.0.1:1"), "/inputs");
        assertInputFails(
                input,
                "input 1 (s3://" + in + "/x.txt at /inputs): Endpoint \"http://127.0.0.1:1\" is not an S3 endpoint"
                        + " the operator allows: requests to it would carry the platform's credentials (allowed: the"
                        + " platform's own and cidra.job-storage.endpoints)");
    }

    @Test
    void aTenantTheOperatorGrantedNothingReadsNoBucket() throws Exception {
        var module = uploadGuest();
        String in = bucket("in");
        put(in, "x.txt", "x\n");
        var job = job(
                        module,
                        List.of("0"),
                        List.of(input(InputSource.S3, Map.of("Bucket", in, "Key", "x.txt"), "/in")),
                        null)
                .ownedBy("no-grants");
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.FAILED, event.state());
        assertEquals(
                "input 1 (s3://" + in + "/x.txt at /in): tenant no-grants may not read s3://" + in + "/x.txt: the"
                        + " operator allows it to read no S3 location (cidra.job-storage.tenants.no-grants.read)",
                event.error());
    }

    @Test
    void aPublisherOnTheModuleBucketIsRefused() throws Exception {
        var module = uploadGuest();
        String modules = config.registry().bucket();
        var job = s3Job(module, List.of(), modules, "modules/{jobID}");
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.FAILED, event.state());
        assertTrue(
                event.error()
                        .contains("bucket " + modules + " holds the platform's own state (modules, execution"
                                + " markers): no job may write it"),
                event.error());
        assertFalse(keys(modules).contains("modules/" + job.jobId() + ".tar.gz"));
    }

    @Test
    void aPublisherOnAnotherJobsResultIsRefusedAndLeavesItAsItWas() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var job = s3Job(module, List.of(), out, "runs/{jobID}");
        String victim = "runs/" + job.jobId() + ".tar.gz";
        s3.putObject(
                b -> b.bucket(out).key(victim).metadata(Map.of("cidra-job-id", "the-victim")),
                RequestBody.fromString("the victim's result", StandardCharsets.UTF_8));
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.FAILED, event.state());
        assertTrue(
                event.error()
                        .contains("s3://" + out + "/" + victim + " exists and was written by another job; a job"
                                + " may only create objects or replace its own"),
                event.error());
        assertEquals("the victim's result", text(out, victim));
    }

    @Test
    void aSingleObjectWhoseTargetNamesItsFileIsThatFile() throws Exception {
        var module = uploadGuest();
        String in = bucket("in");
        put(in, "archives/v.tgz", "not really gzip\n");
        put(in, "archives/w.txt", "second file\n");
        put(in, "archives/x.txt", "in a directory\n");
        var job = job(
                module,
                List.of(
                        "0",
                        "/inputs/v.tgz",
                        "/outputs/v.tgz",
                        "/inputs/w.txt",
                        "/outputs/w.txt",
                        "/data/x.txt",
                        "/outputs/x.txt"),
                List.of(
                        input(InputSource.S3, Map.of("Bucket", in, "Key", "archives/v.tgz"), "/inputs/v.tgz"),
                        input(InputSource.S3, Map.of("Bucket", in, "Key", "archives/w.txt"), "/inputs/w.txt"),
                        input(InputSource.S3, Map.of("Bucket", in, "Key", "archives/x.txt"), "/data")),
                new Publisher(Publisher.S3, Map.of("Bucket", bucket("out"), "Key", "files/{jobID}")));
        submit(job);
        var event = awaitTerminal(job.jobId());

        assertEquals(JobState.COMPLETED, event.state(), event.error() + " " + event.stderr());
        assertEquals(
                "/inputs/v.tgz -> /outputs/v.tgz (16 bytes)\n/inputs/w.txt -> /outputs/w.txt (12 bytes)\n"
                        + "/data/x.txt -> /outputs/x.txt (15 bytes)\n",
                event.stdout());
    }

    @Test
    void checksumMismatchFailsTheJob() throws Exception {
        String in = bucket("in");
        put(in, "one/object.txt", "the real content\n");
        String zeros = Base64.getEncoder().encodeToString(new byte[32]);
        var input = input(
                InputSource.S3, Map.of("Bucket", in, "Key", "one/object.txt", "ChecksumSHA256", zeros), "/inputs");
        assertInputFails(
                input,
                "input 1 (s3://" + in + "/one/object.txt at /inputs): checksum mismatch: ChecksumSHA256 is " + zeros
                        + " but the object's SHA-256 is "
                        + base64Sha256("the real content\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingObjectFailsTheJob() throws Exception {
        String in = bucket("in");
        var input = input(InputSource.S3, Map.of("Bucket", in, "Key", "missing.txt"), "/inputs");
        assertInputFails(
                input, "input 1 (s3://" + in + "/missing.txt at /inputs): no object s3://" + in + "/missing.txt");
    }

    @Test
    void downloadOverTheUrlCapFailsTheJob() throws Exception {
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/big.bin";
        assertInputFails(
                input(InputSource.URL, Map.of("URL", url), "/inputs"),
                "input 1 (" + url + " at /inputs): " + url + " is larger than 1024 bytes (cidra.inputs.max-url-bytes)");
    }

    @Test
    void localDirectoryOutsideTheAllowListFailsTheJob() throws Exception {
        Path dir = Files.createDirectories(Path.of(testConfig("outside")).resolve("job-" + UUID.randomUUID()));
        assertInputFails(
                input(InputSource.LOCAL_DIRECTORY, Map.of("SourcePath", dir.toString()), "/inputs"),
                "input 1 (localDirectory " + dir + " at /inputs): SourcePath " + dir
                        + " is not inside a directory allowed by cidra.inputs.local-directories");
    }

    @Test
    void symbolicLinkOutOfTheAllowListFailsTheJob() throws Exception {
        Path target = Files.createDirectories(Path.of(testConfig("outside")).resolve("job-" + UUID.randomUUID()));
        Path link = Files.createSymbolicLink(
                Path.of(testConfig("allowed-ro")).resolve("link-" + UUID.randomUUID()), target);
        assertInputFails(
                input(InputSource.LOCAL_DIRECTORY, Map.of("SourcePath", link.toString()), "/inputs"),
                "input 1 (localDirectory " + link + " at /inputs): SourcePath " + link + " (real path "
                        + target.toRealPath()
                        + ") is not inside a directory allowed by cidra.inputs.local-directories");
    }

    @Test
    void readWriteNeedsAnRwEntry() throws Exception {
        Path dir = Files.createDirectories(Path.of(testConfig("allowed-ro")).resolve("job-" + UUID.randomUUID()));
        assertInputFails(
                input(
                        InputSource.LOCAL_DIRECTORY,
                        Map.of("SourcePath", dir.toString(), "ReadWrite", "true"),
                        "/inputs"),
                "input 1 (localDirectory " + dir + " at /inputs): SourcePath " + dir
                        + " is allowed read-only; ReadWrite=true needs an :rw entry in cidra.inputs.local-directories");
    }

    /**
     * The shape of Bacalhau's WASM engine documentation sample: the entry module from S3, an import module from an
     * allow-listed local path (the file itself, as {@code Path}), linked by its file name.
     */
    @Test
    void entryModuleFromS3AndImportModuleFromALocalPathLink() throws Exception {
        String bucket = bucket("modules");
        InputSource entry = entryInS3(bucket);
        Path local = Files.createDirectories(Path.of(testConfig("allowed-ro")).resolve("job-" + UUID.randomUUID()));
        Files.write(local.resolve("math.wasm"), conformance("import-explicit/imports/math.wasm"));
        var job = moduleJob(
                entry,
                List.of(new InputSource(
                        InputSource.LOCAL_DIRECTORY,
                        Map.of("Path", local.resolve("math.wasm").toString()),
                        null,
                        null)));
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.COMPLETED, event.state(), event.error());
        assertEquals("mul(6, 7) = 42\n", event.stdout());
        assertWorkDirEmpty();
    }

    /** An import named by its provider's CID links to a module source holding those bytes, fetched by URL. */
    @Test
    void cidNamedImportLinksToAModuleSourceOfThoseBytes() throws Exception {
        byte[] lib = conformance("import-by-cid/store/lib.wasm");
        String path = "/modules/" + UUID.randomUUID() + "/lib.wasm";
        web.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, lib.length);
            try (var body = exchange.getResponseBody()) {
                body.write(lib);
            }
        });
        var entry = fixture.upload(conformance("import-by-cid/module.wasm"));
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + path;
        var plain = job(entry, List.of(), List.of(), null);
        var job = withModules(
                plain,
                plain.moduleCid(),
                new ModuleSources(null, List.of(new InputSource(InputSource.URL, Map.of("URL", url), null, null))));
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.COMPLETED, event.state(), event.error());
        assertEquals("add(40, 2) = 42\n", event.stdout());
    }

    @Test
    void anImportSourceThatIsNotAModuleOrClaimsAnotherModulesNameFailsTheJob() throws Exception {
        String bucket = bucket("modules");
        InputSource entry = entryInS3(bucket);
        String ipfsCid = testConfig("ipfs-cid");
        var job = moduleJob(entry, List.of(new InputSource(InputSource.IPFS, Map.of("CID", ipfsCid), "/math", null)));
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.FAILED, event.state());
        assertTrue(event.error().startsWith("entry module s3://" + bucket + "/entry.wasm: "), event.error());
        assertTrue(event.error().contains("math"), event.error());
        assertNull(marker(job.executionId()));
        assertWorkDirEmpty();
        // two different modules claiming one name
        var claim = moduleJob(
                entry,
                List.of(
                        new InputSource(InputSource.S3, Map.of("Bucket", bucket, "Key", "entry.wasm"), "/math", null),
                        new InputSource(InputSource.IPFS, Map.of("CID", ipfsCid), "/math", null)));
        submit(claim);
        var claimed = awaitTerminal(claim.jobId());
        assertEquals(JobState.FAILED, claimed.state());
        assertEquals(
                "import module 2 (ipfs://" + ipfsCid + ") and import module 1 (s3://" + bucket
                        + "/entry.wasm) both claim the import module name \"/math\"; give each module a distinct"
                        + " Target or file name",
                claimed.error());
    }

    /** The S3 input source of {@code entry.wasm} in {@code bucket}: the import-explicit conformance module. */
    private InputSource entryInS3(String bucket) throws IOException {
        s3.putObject(
                b -> b.bucket(bucket).key("entry.wasm"),
                RequestBody.fromBytes(conformance("import-explicit/module.wasm")));
        return new InputSource(InputSource.S3, Map.of("Bucket", bucket, "Key", "entry.wasm"), null, null);
    }

    @Test
    void aModuleSourceOutsideTheAllowListFailsTheJobNamingIt() throws Exception {
        Path dir = Files.createTempDirectory("not-allowed");
        Files.write(dir.resolve("entry.wasm"), conformance("import-explicit/module.wasm"));
        var job = moduleJob(
                new InputSource(InputSource.LOCAL_DIRECTORY, Map.of("SourcePath", dir.toString()), null, null),
                List.of());
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.FAILED, event.state());
        assertEquals(
                "entry module: localDirectory " + dir + ": SourcePath " + dir
                        + " is not inside a directory allowed by cidra.inputs.local-directories",
                event.error());
    }

    @Test
    void sameExecutionSubmittedTwiceRunsAndCommitsOnce() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var job = s3Job(module, List.of(), out, "{executionID}");
        submit(job);
        submit(job);
        // Both records are on the module's partition, so once a later job there is done, both were handled.
        var sentinel = job(module, List.of("0"), List.of(), null);
        submit(sentinel);
        assertEquals(JobState.COMPLETED, awaitTerminal(sentinel.jobId()).state());

        var terminal = events(job.jobId()).stream()
                .filter(event -> event.state().terminal())
                .toList();
        assertEquals(1, terminal.size(), terminal.toString());
        assertEquals(JobState.COMPLETED, terminal.getFirst().state());
        assertEquals(List.of(job.executionId() + ".tar.gz"), keys(out));
    }

    /**
     * A crash after the marker was written but before the transaction committed: the record comes again, and the
     * marker written for that very record supplies the event to commit; nothing runs or is published again.
     */
    @Test
    void redeliveredRecordCommitsItsMarkerEventWithoutRunning() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var job = s3Job(module, List.of(), out, "{executionID}");
        var firstRun = new JobEvent(
                job.jobId(),
                job.executionId(),
                "crashed-node",
                JobState.COMPLETED,
                Instant.parse("2024-03-05T06:08:00Z"),
                0,
                "from the first run\n",
                "",
                false,
                false,
                null,
                new PublishedResult(Publisher.S3, out, "earlier.tar.gz", "us-east-1", null, null, null, null, null));
        var partition = new TopicPartition(Topics.JOBS, partitionOf(job.moduleCid()));
        long offset;
        try (var consumer = fixture.consumer(Topics.JOBS)) {
            offset = consumer.endOffsets(List.of(partition)).get(partition);
        }
        s3.putObject(
                b -> b.bucket(S3ProxyResource.BUCKET)
                        .key("executions/" + job.executionId() + ".json")
                        .metadata(Map.of("cidra-origin", partition + "@" + offset)),
                RequestBody.fromBytes(json.writeValueAsBytes(firstRun)));
        submit(job);

        assertEquals(firstRun, awaitTerminal(job.jobId()));
        assertEquals(List.of(firstRun), events(job.jobId()));
        assertEquals(List.of(), keys(out));
    }

    /**
     * S3 is down for the job's publisher only: each attempt runs the guest and fails to publish; after the capped
     * attempts the job ends FAILED naming the cause and the attempts, its record is dead-lettered once, and the next
     * job on its partition runs.
     */
    @Test
    void aJobWhosePublishAlwaysFailsForS3GivesUpAfterTheCappedAttemptsAndIsDeadLettered() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        String dead = testConfig("dead-endpoint");
        var job = job(
                module,
                List.of("0"),
                List.of(),
                new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", "{jobID}", "Endpoint", dead)));
        submit(job);
        var sentinel = job(module, List.of("0"), List.of(), null);
        submit(sentinel);

        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.FAILED, event.state());
        assertTrue(
                event.error()
                        .startsWith("gave up after 3 attempts, each failed for the node's infrastructure, not for the"
                                + " job; the last: publishing the result to s3://" + out + "/" + job.jobId()
                                + ".tar.gz failed: "),
                event.error());
        assertNull(event.result());
        assertEquals(JobState.COMPLETED, awaitTerminal(sentinel.jobId()).state());

        var terminal =
                events(job.jobId()).stream().filter(e -> e.state().terminal()).toList();
        assertEquals(List.of(event), terminal);
        var letters = deadLetters(job.jobId());
        assertEquals(1, letters.size());
        assertEquals(event.error(), header(letters.getFirst(), Topics.DEAD_LETTER_REASON));
        assertArrayEquals(json.writeValueAsBytes(job), letters.getFirst().value());
        assertNull(marker(job.executionId()));
        assertEquals(List.of(), keys(out));
        assertWorkDirEmpty();
    }

    @Test
    void aJobCancelledBeforeItStartsNeverStartsAndARedeliveryOfItsRecordStaysCancelled() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var job = s3Job(module, List.of(), out, "{jobID}");
        var cancellation = cancel(job.jobId());
        submit(job);

        var event = awaitTerminal(job.jobId());
        assertEquals(JobEvent.cancelled(cancellation, job.executionId(), JobsResource.NODE_ID), event);
        submit(job); // the same record again, as a redelivery hands it
        var sentinel = job(module, List.of("0"), List.of(), null); // same key, so same partition: after the redelivery
        submit(sentinel);
        assertEquals(JobState.COMPLETED, awaitTerminal(sentinel.jobId()).state());
        assertEquals(List.of(event, event), events(job.jobId()), "never running, cancelled each time");
        assertEquals(List.of(), keys(out));
        assertNull(marker(job.executionId()));
    }

    @Test
    void aRunningGuestIsStoppedByItsCancellationNotByItsTimeoutAndNothingIsPublished() throws Exception {
        var module = fixture.upload(conformance("infinite-loop/module.wasm"));
        String out = bucket("out");
        var job = timed(
                job(module, List.of(), List.of(), new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", "{jobID}"))),
                Instant.now(),
                60_000,
                0,
                0);
        submit(job);
        awaitState(job.jobId(), JobState.RUNNING);

        long cancelled = System.nanoTime();
        var cancellation = cancel(job.jobId());
        var event = awaitTerminal(job.jobId());
        var took = Duration.ofNanos(System.nanoTime() - cancelled);

        assertEquals(JobEvent.cancelled(cancellation, job.executionId(), JobsResource.NODE_ID), event);
        // A generous bound, far below the 60 s timeout: the guest was stopped, not timed out (not a benchmark).
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, took.toString());
        assertEquals(List.of(), keys(out));
        assertNull(marker(job.executionId()));
        assertWorkDirEmpty();
    }

    @Test
    void aJobCancelledWhilePublishingHasWhatItPublishedWithdrawn() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        URI s3Endpoint = config.s3().endpoint().orElseThrow();
        int port = Integer.parseInt(testConfig("gated-port"));
        try (var slowS3 = new GatedProxy(port, new InetSocketAddress(s3Endpoint.getHost(), s3Endpoint.getPort()))) {
            slowS3.shut();
            var job = job(
                    module,
                    List.of("0"),
                    List.of(),
                    new Publisher(
                            Publisher.S3,
                            Map.of(
                                    "Bucket",
                                    out,
                                    "Key",
                                    "{jobID}",
                                    "Encoding",
                                    Publisher.PLAIN,
                                    "Endpoint",
                                    "http://127.0.0.1:" + port)));
            submit(job);
            awaitState(job.jobId(), JobState.PUBLISHING);
            var cancellation = cancel(job.jobId()); // the publishing goes on meanwhile, held
            slowS3.open();

            var event = awaitTerminal(job.jobId());
            assertEquals(JobEvent.cancelled(cancellation, job.executionId(), JobsResource.NODE_ID), event);
        }
        assertEquals(List.of(), keys(out));
        assertWorkDirEmpty();
    }

    @Test
    void aJobStartedAfterItsQueueTimeoutOrItsTotalTimeoutFailsWithoutRunning() throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        // Submitted at SUBMITTED, long before the executor's clock reads: both timeouts have passed.
        var queue = timed(s3Job(module, List.of(), out, "{jobID}"), SUBMITTED, 30_000, 30_000, 0);
        var total = timed(s3Job(module, List.of(), out, "{jobID}"), SUBMITTED, 30_000, 0, 90_000);
        submit(queue);
        submit(total);

        var late = awaitTerminal(queue.jobId());
        assertEquals(JobState.FAILED, late.state());
        assertTrue(late.error().startsWith("not started within its QueueTimeout of 30 s (queued for "), late.error());
        var over = awaitTerminal(total.jobId());
        assertEquals(JobState.FAILED, over.state());
        assertTrue(over.error().startsWith("not started within its TotalTimeout of 90 s (queued for "), over.error());
        assertEquals(List.of(late), events(queue.jobId()), "never running");
        assertEquals(List.of(over), events(total.jobId()), "never running");
        assertEquals(List.of(), keys(out));
    }

    @Test
    void theTotalTimeoutCutsTheRunToWhatQueueingLeftOfIt() throws Exception {
        var module = fixture.upload(conformance("infinite-loop/module.wasm"));
        var job = timed(job(module, List.of(), List.of(), null), Instant.now(), 60_000, 0, 3_000);
        submit(job);

        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.FAILED, event.state());
        assertEquals(124, event.exitCode());
        assertTrue(
                event.error().startsWith("its TotalTimeout of 3 s passed (queued and running): timed out after "),
                event.error());
    }

    @Test
    void undecodableAndInvalidJobsGoToTheDeadLetterTopic() throws Exception {
        var key = "bad-" + UUID.randomUUID();
        byte[] body = "{\"jobId\": ".getBytes(StandardCharsets.UTF_8);
        send(key, body);
        var letter = fixture.await(Topics.DEAD_LETTER, key);
        assertArrayEquals(body, letter.value());
        assertTrue(header(letter, Topics.DEAD_LETTER_REASON).startsWith("not a JobRequest as JSON: "));
        assertTrue(header(letter, Topics.DEAD_LETTER_ORIGIN).startsWith(Topics.JOBS + "-"));

        var invalidKey = "invalid-" + UUID.randomUUID();
        var valid = json.valueToTree(job(Cid.rawOf(new byte[] {1}), List.of(), List.of(), null));
        ((com.fasterxml.jackson.databind.node.ObjectNode) valid).put("timeoutMillis", 0);
        send(invalidKey, json.writeValueAsBytes(valid));
        assertEquals(
                "invalid JobRequest: timeoutMillis must be at least 1, not 0",
                header(fixture.await(Topics.DEAD_LETTER, invalidKey), Topics.DEAD_LETTER_REASON));
    }

    /** Runs a job with {@code input} and an S3 publisher; it must fail with {@code error}, leaving no result. */
    @Test
    void theTerminalEventContinuesTheJobRecordsTraceAndTheJobsLogLinesNameIt() throws Exception {
        var module = uploadGuest();
        var job = job(module, List.of("0"), List.of(), null);
        String traceId = HexFormat.of().formatHex(TestContent.random(16, 11));
        String parentSpanId = HexFormat.of().formatHex(TestContent.random(8, 12));
        var captured = new CopyOnWriteArrayList<LogRecord>();
        var capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    ext.copyAll(); // the MDC of the thread that logs, not of the one that formats
                }
                captured.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        var logger = java.util.logging.Logger.getLogger("dev.cidra.executor");
        logger.addHandler(capture);
        ConsumerRecord<byte[], byte[]> terminal;
        try {
            fixture.send(
                    Topics.JOBS,
                    job.moduleCid(),
                    json.writeValueAsBytes(job),
                    Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));
            terminal = awaitTerminalRecord(job.jobId());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(
                JobState.COMPLETED,
                json.readValue(terminal.value(), JobEvent.class).state());
        var traceparent = header(terminal, "traceparent").split("-");
        assertEquals(traceId, traceparent[1]);
        assertNotEquals(parentSpanId, traceparent[2], "the event names the executor's span, not the submitter's");

        // Formatted as the console formats them, the lines about the execution name the job, execution and trace.
        var format =
                new PatternFormatter(ConfigProvider.getConfig().getValue("quarkus.log.console.format", String.class));
        var lines = captured.stream()
                .filter(record -> record.getLoggerName().endsWith(".JobRunner"))
                .map(format::format)
                .toList();
        assertFalse(lines.isEmpty(), "no line from the JobRunner");
        for (String line : lines) {
            assertTrue(line.contains("jobId=" + job.jobId()), line);
            assertTrue(line.contains("executionId=" + job.executionId()), line);
            assertTrue(line.contains("traceId=" + traceId), line);
        }
    }

    /** {@code plain} submitted at {@code submittedAt} with these timeouts (0: none). */
    private static JobRequest timed(
            JobRequest plain, Instant submittedAt, long timeoutMillis, long queueMillis, long totalMillis) {
        return new JobRequest(
                plain.jobId(),
                plain.executionId(),
                submittedAt,
                plain.moduleCid(),
                plain.entrypoint(),
                plain.args(),
                plain.env(),
                plain.importModules(),
                plain.inputs(),
                plain.resultPaths(),
                plain.publisher(),
                plain.memoryBytes(),
                timeoutMillis,
                plain.diskBytes(),
                plain.tenant(),
                plain.deterministic(),
                plain.modules(),
                plain.labels(),
                plain.meta(),
                queueMillis,
                totalMillis);
    }

    /**
     * Cancels the job as the gateway does, on the cancellations topic, and waits until the executor has read it; the
     * cancellation.
     */
    private JobCancellation cancel(String jobId) throws Exception {
        var cancellation = new JobCancellation(jobId, "test-user", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        fixture.send(Topics.JOB_CANCELLATIONS, jobId, json.writeValueAsBytes(cancellation), Map.of());
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        while (cancellations.of(jobId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the executor did not read the cancellation of " + jobId);
            }
            Thread.sleep(10);
        }
        return cancellation;
    }

    /** Waits for the job's event of {@code state}. */
    private void awaitState(String jobId, JobState state) throws IOException {
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        try (var consumer = fixture.consumer(Topics.JOB_EVENTS)) {
            while (Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(new String(record.key(), StandardCharsets.UTF_8))
                            && json.readValue(record.value(), JobEvent.class).state() == state) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no " + state + " event of " + jobId + " within " + FlowFixture.WAIT);
    }

    private void assertInputFails(InputSource input, String error) throws Exception {
        var module = uploadGuest();
        String out = bucket("out");
        var job = s3Job(module, List.of(input), out, "{jobID}");
        submit(job);
        var event = awaitTerminal(job.jobId());
        assertEquals(JobState.FAILED, event.state());
        assertEquals(error, event.error());
        assertNull(event.exitCode());
        assertNull(event.result());
        assertEquals(List.of(), keys(out));
        assertNull(marker(job.executionId()));
        assertWorkDirEmpty();
    }

    private int partitionOf(String key) {
        try (var consumer = fixture.consumer(Topics.JOBS)) {
            int partitions = consumer.partitionsFor(Topics.JOBS).size();
            return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        }
    }

    private JobRequest job(Cid module, List<String> args, List<InputSource> inputs, Publisher publisher) {
        return new JobRequest(
                "job-" + UUID.randomUUID(),
                "exec-" + UUID.randomUUID(),
                SUBMITTED,
                module.toString(),
                null,
                args,
                Map.of(),
                null,
                inputs,
                null,
                publisher,
                32L << 20,
                30_000,
                0);
    }

    /** A job of no publisher whose modules come from sources. */
    private JobRequest moduleJob(InputSource entry, List<InputSource> imports) {
        var plain = job(Cid.rawOf(new byte[0]), List.of(), List.of(), null);
        return withModules(plain, null, new ModuleSources(entry, imports));
    }

    private static JobRequest withModules(JobRequest plain, String moduleCid, ModuleSources modules) {
        return new JobRequest(
                plain.jobId(),
                plain.executionId(),
                plain.submittedAt(),
                moduleCid,
                null,
                List.of(),
                Map.of(),
                null,
                List.of(),
                null,
                null,
                plain.memoryBytes(),
                plain.timeoutMillis(),
                0,
                null,
                null,
                modules,
                null,
                null);
    }

    /** A module of the engine's conformance cases (built there, beside its source). */
    private static byte[] conformance(String path) throws IOException {
        return Files.readAllBytes(
                Path.of("../engine/src/test/resources/conformance").resolve(path));
    }

    /** A job that exits with 0 and publishes to {@code key} in bucket {@code out}. */
    private JobRequest s3Job(Cid module, List<InputSource> inputs, String out, String key) {
        return job(module, List.of("0"), inputs, new Publisher(Publisher.S3, Map.of("Bucket", out, "Key", key)));
    }

    private static InputSource input(String type, Map<String, String> params, String target) {
        return new InputSource(type, params, target, null);
    }

    private Cid uploadGuest() throws IOException {
        byte[] bytes;
        try (InputStream in = JobFlowTest.class.getResourceAsStream("/jobs/copy.wasm")) {
            bytes = in.readAllBytes();
        }
        return fixture.upload(bytes);
    }

    private String bucket(String kind) {
        String name = kind + "-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private void put(String bucket, String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private String text(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    /** The execution's marker event in the state bucket, or null. */
    private JobEvent marker(String executionId) throws IOException {
        try {
            return json.readValue(
                    s3.getObjectAsBytes(
                                    b -> b.bucket(S3ProxyResource.BUCKET).key("executions/" + executionId + ".json"))
                            .asByteArray(),
                    JobEvent.class);
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private void assertWorkDirEmpty() throws IOException {
        try (var entries = Files.list(config.jobs().workDir())) {
            assertEquals(List.of(), entries.toList());
        }
    }

    private void submit(JobRequest job) throws IOException {
        send(job.moduleKey(), json.writeValueAsBytes(job));
    }

    private void send(String key, byte[] value) {
        fixture.send(Topics.JOBS, key, value, Map.of());
    }

    /** The job's first terminal event, read committed. */
    private JobEvent awaitTerminal(String jobId) throws IOException {
        return json.readValue(awaitTerminalRecord(jobId).value(), JobEvent.class);
    }

    /** The record of the job's first terminal event, read committed. */
    private ConsumerRecord<byte[], byte[]> awaitTerminalRecord(String jobId) throws IOException {
        var deadline = Instant.now().plus(FlowFixture.WAIT);
        try (var consumer = fixture.consumer(Topics.JOB_EVENTS)) {
            while (Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        var event = json.readValue(record.value(), JobEvent.class);
                        if (event.state().terminal()) {
                            return record;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no terminal event of " + jobId + " within " + FlowFixture.WAIT);
    }

    /** Every committed event of the job, read to the end of the topic. */
    private List<JobEvent> events(String jobId) throws IOException {
        var events = new ArrayList<JobEvent>();
        for (var record :
                committed(Topics.JOB_EVENTS, r -> jobId.equals(new String(r.key(), StandardCharsets.UTF_8)))) {
            events.add(json.readValue(record.value(), JobEvent.class));
        }
        return events;
    }

    /** Every committed dead letter whose record names the job. */
    private List<ConsumerRecord<byte[], byte[]>> deadLetters(String jobId) {
        byte[] name = ("\"" + jobId + "\"").getBytes(StandardCharsets.UTF_8);
        return committed(Topics.DEAD_LETTER, r -> r.value() != null && indexOf(r.value(), name) >= 0);
    }

    /** Every committed record of {@code topic} that {@code wanted} accepts, read to the end of the topic. */
    private List<ConsumerRecord<byte[], byte[]>> committed(
            String topic, Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = fixture.consumer(topic)) {
            var deadline = Instant.now().plus(FlowFixture.WAIT);
            consumer.poll(Duration.ZERO);
            while (consumer.assignment().isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToBeginning(consumer.assignment());
            var end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String base64Sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Entry name to content as UTF-8 (null for directories), in archive order. */
    /** The CIDv1 of the directory an archive unpacks to, as {@code ipfs add -r --cid-version=1} gives it. */
    private static String directoryCid(Map<String, byte[]> entries) throws IOException {
        List<UnixFs.TreeEntry> tree = entries.entrySet().stream()
                .map(e -> e.getKey().endsWith("/")
                        ? new UnixFs.TreeEntry(
                                e.getKey().substring(0, e.getKey().length() - 1), null)
                        : new UnixFs.TreeEntry(e.getKey(), () -> new ByteArrayInputStream(e.getValue())))
                .toList();
        return UnixFs.addDirectory(tree, 1, (cid, block) -> {}).toString();
    }

    private static Map<String, String> untar(byte[] archive) throws IOException {
        var entries = new LinkedHashMap<String, String>();
        untarBytes(archive)
                .forEach((name, bytes) ->
                        entries.put(name, bytes == null ? null : new String(bytes, StandardCharsets.UTF_8)));
        return entries;
    }

    /** Entry name to bytes (null for directories), in archive order. */
    private static Map<String, byte[]> untarBytes(byte[] archive) throws IOException {
        var entries = new LinkedHashMap<String, byte[]>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                assertFalse(entries.containsKey(entry.getName()), "duplicate entry " + entry.getName());
                assertEquals(SUBMITTED.toEpochMilli() / 1000, entry.getModTime().getTime() / 1000);
                entries.put(entry.getName(), entry.isDirectory() ? null : tar.readAllBytes());
            }
        }
        return entries;
    }
}
