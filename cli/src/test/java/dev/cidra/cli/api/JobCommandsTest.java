package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import dev.cidra.cli.platform.SharedPlatform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cidra job ...} against the real local platform ({@link SharedPlatform}). */
class JobCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anIdOnlyJobIsDescribedItsLogsShownAndItsResultUnpackedByteForByte() throws Exception {
        String bucket = PlatformCli.bucket(Map.of("data/x.txt", "a b c\n"));
        var cli = new PlatformCli(dir);

        Run submitted = cli.run(
                "wasm",
                "run",
                Guests.WORDCOUNT.toString(),
                "-i",
                "s3://" + bucket + "/data/,dst=/in",
                "-o",
                "outputs:/outputs",
                "--id-only",
                "--",
                "/in");
        assertEquals(0, submitted.exit(), submitted.stderr());
        assertTrue(submitted.stdout().matches("j-[0-9a-f-]+\n"), submitted.stdout());
        String jobId = submitted.stdout().strip();
        JsonNode job = awaitEnd(cli, jobId);
        assertEquals("completed", job.path("state").asText(), job.toString());

        Run describe = cli.run("job", "describe", jobId);
        assertEquals(0, describe.exit(), describe.stderr());
        assertTrue(describe.stdout().startsWith("Job        " + jobId + "\nState      completed\n"), describe.stdout());
        assertTrue(describe.stdout().contains("Result     local http://"), describe.stdout());
        assertTrue(describe.stdout().contains("  completed  exit 0\n"), describe.stdout());

        assertEquals(new Run(0, "1 files: 1 3 6\n", ""), cli.run("job", "logs", jobId));

        Path result = dir.resolve("result");
        Run get = cli.run("job", "get", jobId, "--output-dir", result.toString());
        assertEquals(0, get.exit(), get.stderr());
        Map<String, byte[]> published = published(jobId);
        assertEquals(published.keySet(), files(result));
        for (var entry : published.entrySet()) {
            assertArrayEquals(entry.getValue(), Files.readAllBytes(result.resolve(entry.getKey())), entry.getKey());
        }
        assertEquals("x.txt 1 3 6\n", Files.readString(result.resolve("outputs/counts.txt")));
        String cid = job.path("result").path("CID").asText();
        assertTrue(describe.stdout().contains("\nCID        " + cid + "\n"), describe.stdout());
        assertEquals(new Run(0, cid + "\n", ""), cli.run("cid", "-r", result.toString()), "the result's CID");

        Run again = cli.run("job", "get", jobId, "--output-dir", result.toString());
        assertEquals(new Run(1, "", "cidra: " + result + " is not empty; choose another --output-dir\n"), again);
    }

    @Test
    void aYamlSpecRunsAsItIs() throws Exception {
        var cli = new PlatformCli(dir);
        String cid = cli.run("module", "put", Guests.module("hello")).stdout().strip();
        Path spec = Files.writeString(dir.resolve("hello.yaml"), """
                Tasks:
                  - Name: hello
                    Engine: {Type: wasm, Params: {EntryModule: %s}}
                    Publisher: {Type: local}
                    Timeouts: {ExecutionTimeout: 30}
                """.formatted(cid));

        Run run = cli.run("job", "run", spec.toString());

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("hello, world\n", run.stdout());
    }

    /**
     * {@code job stop}: the gateway publishes the cancellation, the executor stops the running guest (a loop with a
     * minute to run), and the job ends cancelled with who and when; a second stop is refused on one line.
     */
    @Test
    void aRunningJobIsStoppedAndEndsCancelledNamingWhoAndWhen() throws Exception {
        var cli = new PlatformCli(dir);
        Run submitted =
                cli.run("wasm", "run", Guests.module("infinite-loop"), "--timeout", "60s", "-p", "none", "--id-only");
        assertEquals(0, submitted.exit(), submitted.stderr());
        String jobId = submitted.stdout().strip();
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!JSON.readTree(cli.run("job", "describe", jobId, "--json").stdout())
                .path("state")
                .asText()
                .equals("running")) {
            assertTrue(Instant.now().isBefore(deadline), "job " + jobId + " never ran");
            Thread.sleep(200);
        }

        Run stop = cli.run("job", "stop", jobId);

        assertEquals(0, stop.exit(), stop.stderr());
        assertTrue(stop.stdout().matches("job " + jobId + ": cancelled by \\S+ at \\S+\n"), stop.stdout());
        JsonNode job = awaitEnd(cli, jobId);
        assertEquals("cancelled", job.path("state").asText(), job.toString());
        assertTrue(stop.stdout().endsWith(job.path("cancelled").path("at").asText() + "\n"), job.toString());
        Run again = cli.run("job", "stop", jobId);
        assertEquals(1, again.exit());
        assertTrue(again.stderr().contains("has already ended (cancelled)"), again.stderr());
    }

    /**
     * The sample of Bacalhau's WASM engine documentation, as the gateway's spec cases hold it, with only its bucket
     * and its path changed: the entry module from S3, the import module from an allow-listed local directory.
     */
    @Test
    void theBacalhauWasmEngineDocSampleRunsWithOnlyItsBucketAndPathChanged() throws Exception {
        String bucket = PlatformCli.bucket(Map.of());
        Path conformance = Guests.CASES.resolve("import-explicit");
        try (var s3 = SharedPlatform.get().s3()) {
            s3.putObject(
                    b -> b.bucket(bucket).key("entry.wasm"),
                    software.amazon.awssdk.core.sync.RequestBody.fromFile(conformance.resolve("module.wasm")));
        }
        Path math = Files.createDirectories(SharedPlatform.get()
                        .localDirectory()
                        .resolve(java.util.UUID.randomUUID().toString()))
                .resolve("math.wasm");
        Files.copy(conformance.resolve("imports/math.wasm"), math);
        String sample =
                Files.readString(Path.of("../gateway/src/test/resources/job-specs/bacalhau-wasm-doc-sample/spec.yaml"));
        Path spec = Files.writeString(
                dir.resolve("sample.yaml"),
                sample.replace("\"wasm-modules\"", "\"" + bucket + "\"")
                        .replace("\"/srv/modules/math.wasm\"", "\"" + math + "\""));

        Run run = new PlatformCli(dir).run("job", "run", spec.toString());

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("mul(6, 7) = 42\n", run.stdout());
    }

    @Test
    void anInvalidSpecIsTheGatewaysDetailOnOneLine() throws Exception {
        Path spec = Files.writeString(dir.resolve("bad.json"), "{\"Tasks\": []}");

        Run run = new PlatformCli(dir).run("job", "run", spec.toString());

        assertEquals(new Run(1, "", "cidra: Tasks: must hold exactly one task, not 0\n"), run);
    }

    @Test
    void aSubmittedJobIsListedNewestFirst() throws Exception {
        var cli = new PlatformCli(dir);
        String first = cli.run("wasm", "run", Guests.module("hello"), "--id-only")
                .stdout()
                .strip();
        String second = cli.run("wasm", "run", Guests.module("hello"), "--id-only")
                .stdout()
                .strip();
        awaitEnd(cli, first);
        awaitEnd(cli, second);

        Run list = cli.run("job", "list", "--limit", "1000");
        assertEquals(0, list.exit(), list.stderr());
        String table = list.stdout();
        assertTrue(table.startsWith("ID "), table);
        assertTrue(table.contains(second + " completed  0     "), table);
        assertTrue(table.indexOf(second) < table.indexOf(first), table);

        Run json = cli.run(
                "job",
                "list",
                "--json",
                "--limit",
                "1",
                "--home",
                SharedPlatform.get().home().toString());
        assertEquals(0, json.exit(), json.stderr());
        JsonNode newest = JSON.readTree(json.stdout()).path("jobs");
        assertEquals(1, newest.size(), json.stdout());
    }

    @Test
    void logsOfAnUnknownJobAreTheGatewaysDetail() throws Exception {
        assertEquals(
                new Run(1, "", "cidra: no job j-unknown is known\n"),
                new PlatformCli(dir).run("job", "logs", "j-unknown"));
    }

    /** Polls {@code job describe --json} until the job has ended. */
    private static JsonNode awaitEnd(PlatformCli cli, String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Run describe = cli.run("job", "describe", "--json", jobId);
            assertEquals(0, describe.exit(), describe.stderr());
            JsonNode job = JSON.readTree(describe.stdout());
            String state = job.path("state").asText();
            if (state.equals("completed") || state.equals("failed") || state.equals("cancelled")) {
                return job;
            }
            assertTrue(Instant.now().isBefore(deadline), "job " + jobId + " is still " + state);
            Thread.sleep(200);
        }
    }

    /** The relative paths of the regular files under {@code dir}. */
    private static Set<String> files(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile)
                    .map(path -> dir.relativize(path).toString())
                    .collect(Collectors.toSet());
        }
    }

    /** The regular files of the job's published result, as the gateway serves it. */
    private static Map<String, byte[]> published(String jobId) throws Exception {
        byte[] archive;
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(SharedPlatform.get().gateway().resolve("/v1/jobs/" + jobId + "/outputs"))
                            .header(
                                    "Authorization",
                                    "Bearer " + SharedPlatform.get().token())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            archive = response.body();
        }
        var files = new HashMap<String, byte[]>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }
}
