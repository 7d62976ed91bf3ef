package dev.cidra.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.cli.api.Gateway;
import dev.cidra.cli.api.ResultArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * {@code cidra demo}: runs a function end to end on the running local platform, through the gateway's public API only:
 * upload, synchronous call, a job with inputs from S3 and its result published to S3, and the result's download. Every
 * step is checked; the first that fails ends the demo with one line and exit status 1.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a function end to end on the local platform (start it with `cidra up`): upload the bundled"
                    + " wordcount module, call it synchronously, run it as a job on files in S3 with its result"
                    + " published to S3, and download and show that result.",
            "Steps and timings go to stderr; the function's answers to stdout."
        },
        footer = {"", "Examples:", "  cidra up && cidra demo"})
public final class DemoCommand implements Callable<Integer> {
    static final String BUCKET = "cidra-demo";
    private static final String MODULE = "/dev/cidra/cli/demo/wordcount.wasm";
    private static final Map<String, String> INPUTS = inputs();

    @Mixin
    HomeOption home;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT60S",
            description = "How long the job may take from submission to result (ISO-8601). Default: 60 s.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    private final ObjectMapper json = new ObjectMapper();
    private PrintWriter err;
    private PrintWriter out;
    private Gateway gateway;
    /** Whether a step's line is open on {@code err}, waiting for its outcome. */
    private boolean stepShown;

    private static Map<String, String> inputs() {
        var inputs = new LinkedHashMap<String, String>();
        inputs.put("fox.txt", "The quick brown fox\njumps over the lazy dog\n");
        inputs.put("lorem.txt", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit,\nsed do eiusmod tempor\n");
        inputs.put("wasm.txt", "WebAssembly functions addressed by content id\n");
        return inputs;
    }

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        out = spec.commandLine().getOut();
        var platformHome = PlatformHome.of(home.dir);
        Ports ports = platformHome
                .ports()
                .orElseThrow(() -> new IllegalStateException(
                        "the platform in " + platformHome + " is not running; start it with `cidra up`"));
        String token = LocalCredentials.of(platformHome.dir())
                .adminToken()
                .orElseThrow(() -> new IllegalStateException(
                        "no admin token in " + platformHome + ": start the platform with `cidra up` first"));
        long start = System.nanoTime();
        try (Gateway client = new Gateway(ports.gatewayUri(), Optional.of(token));
                S3Client s3 = S3ProxyService.connection(ports).newClient()) {
            gateway = client;
            String cid = upload();
            invoke(cid);
            putInputs(s3);
            String jobId = submit(cid);
            awaitCompletion(jobId);
            download(platformHome, jobId);
        } finally {
            if (stepShown) {
                err.println();
            }
        }
        err.println("demo: every step passed in " + Elapsed.millisSince(start) + " ms");
        return 0;
    }

    /** The bundled wordcount module ({@code wordcount.c}: the lines, words and bytes of stdin and of files). */
    static byte[] wordcount() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(MODULE)) {
            if (in == null) {
                throw new IllegalStateException("the CLI jar lacks " + MODULE);
            }
            return in.readAllBytes();
        }
    }

    private String upload() throws IOException, InterruptedException {
        byte[] module = wordcount();
        step("upload wordcount.wasm (" + module.length + " bytes): POST /v1/modules");
        long start = System.nanoTime();
        String cid = gateway.upload(module);
        done("in " + Elapsed.millisSince(start) + " ms, CID " + cid);
        return cid;
    }

    private void invoke(String cid) throws IOException, InterruptedException {
        String text = INPUTS.get("fox.txt");
        step("call it synchronously with stdin \"" + text.replace("\n", "\\n") + "\": POST /v1/functions/{cid}/invoke");
        // The first call also fetches and links the module on the executor; the second is timed.
        HttpResponse<byte[]> response = null;
        long millis = 0;
        for (int call = 0; call < 2; call++) {
            long start = System.nanoTime();
            response = send(
                    gateway.request("/v1/functions/" + cid + "/invoke")
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(text)),
                    200);
            millis = Elapsed.millisSince(start);
        }
        String exit = response.headers().firstValue("Cidra-Exit-Code").orElse("?");
        done("200 in " + millis + " ms (second call), exit code " + exit);
        if (!"0".equals(exit)) {
            throw new IllegalStateException("the synchronous call exited with " + exit + ", not 0");
        }
        out.println("lines words bytes of stdin: " + text(response).strip());
    }

    private void putInputs(S3Client s3) {
        step("put " + INPUTS.size() + " text files under s3://" + BUCKET + "/inputs/");
        try {
            s3.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException e) {
            // A second demo on the same platform reuses the bucket.
        }
        INPUTS.forEach((name, text) -> s3.putObject(
                b -> b.bucket(BUCKET).key("inputs/" + name), RequestBody.fromString(text, StandardCharsets.UTF_8)));
        done("done");
    }

    private String submit(String cid) throws IOException, InterruptedException {
        String spec = """
                {
                  "Name": "wordcount-demo",
                  "Type": "batch",
                  "Tasks": [{
                    "Name": "count",
                    "Engine": {"Type": "wasm", "Params": {"EntryModule": "%s", "Parameters": ["/inputs"]}},
                    "InputSources": [{
                      "Source": {"Type": "s3", "Params": {"Bucket": "%s", "Key": "inputs/"}},
                      "Target": "/inputs"
                    }],
                    "ResultPaths": [{"Name": "outputs", "Path": "/outputs"}],
                    "Publisher": {"Type": "s3", "Params": {
                      "Bucket": "%s", "Key": "results/{jobID}/{date}-{time}", "Encoding": "gzip"}},
                    "Resources": {"Memory": "64Mi"},
                    "Network": {"Type": "None"},
                    "Timeouts": {"ExecutionTimeout": 30}
                  }]
                }
                """.formatted(cid, BUCKET, BUCKET);
        step("submit a job over s3://" + BUCKET + "/inputs/, result to s3://" + BUCKET
                + "/results/{jobID}/{date}-{time}.tar.gz: POST /v1/jobs");
        long start = System.nanoTime();
        var response = send(
                gateway.request("/v1/jobs")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec)),
                202);
        String jobId = field(response, "jobID");
        done("202 in " + Elapsed.millisSince(start) + " ms, job " + jobId);
        return jobId;
    }

    private void awaitCompletion(String jobId) throws IOException, InterruptedException {
        step("wait for job " + jobId + ": GET /v1/jobs/" + jobId);
        long start = System.nanoTime();
        String shown = "";
        while (true) {
            var response = send(gateway.request("/v1/jobs/" + Gateway.encode(jobId)), 200);
            JsonNode job = json.readTree(response.body());
            String state = job.path("state").asText();
            if (!state.equals(shown)) {
                err.print((shown.isEmpty() ? "" : " -> ") + state);
                err.flush();
                shown = state;
            }
            if (state.equals("completed")) {
                done(" in " + Elapsed.millisSince(start) + " ms");
                JsonNode result = job.path("result");
                out.println("job " + jobId + " published s3://"
                        + result.path("Bucket").asText() + "/"
                        + result.path("Key").asText());
                return;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new IllegalStateException("job " + jobId + " " + state + ": " + text(response));
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new IllegalStateException(
                        "job " + jobId + " is still " + state + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private void download(PlatformHome platformHome, String jobId) throws IOException, InterruptedException {
        step("download the result: GET /v1/jobs/" + jobId + "/outputs");
        long start = System.nanoTime();
        HttpResponse<byte[]> response = send(gateway.request("/v1/jobs/" + Gateway.encode(jobId) + "/outputs"), 200);
        Path file = Files.createDirectories(platformHome.dir().resolve("demo")).resolve(jobId + ".tar.gz");
        Files.write(file, response.body());
        done(response.body().length + " bytes in " + Elapsed.millisSince(start) + " ms, saved to " + file);
        var entries = new LinkedHashMap<String, String>();
        ResultArchive.readAll(new ByteArrayInputStream(response.body()))
                .forEach((name, bytes) -> entries.put(name, new String(bytes, StandardCharsets.UTF_8)));
        out.println("result files: " + String.join(", ", entries.keySet()));
        String counts = entries.get("outputs/counts.txt");
        if (counts == null || !"0".equals(entries.getOrDefault("exitCode", "").strip())) {
            throw new IllegalStateException("the result lacks outputs/counts.txt or exit code 0: " + entries.keySet());
        }
        out.println("outputs/counts.txt (file lines words bytes):");
        counts.lines().forEach(line -> out.println("  " + line));
        out.println("stdout: " + entries.getOrDefault("stdout", "").strip());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, int status)
            throws IOException, InterruptedException {
        return gateway.send(request, HttpResponse.BodyHandlers.ofByteArray(), status);
    }

    private String field(HttpResponse<byte[]> response, String name) throws IOException {
        JsonNode value = json.readTree(response.body()).get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("the answer has no " + name + ": " + text(response));
        }
        return value.asText();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private void step(String what) {
        err.print("demo: " + what + " ... ");
        err.flush();
        stepShown = true;
    }

    private void done(String what) {
        err.println(what);
        stepShown = false;
    }
}
