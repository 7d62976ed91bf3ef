package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import dev.cidra.cli.platform.SharedPlatform;
import dev.cidra.registry.Cid;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cidra wasm run} against the real local platform ({@link SharedPlatform}). */
class WasmRunTest {
    @TempDir
    Path dir;

    @Test
    void aLocalModuleIsUploadedAndRunOnS3InputsAndItsOutputPathPublished() throws Exception {
        String bucket = PlatformCli.bucket(
                Map.of("in/a.txt", "one two\nthree\n", "in/b.txt", "four\n", "elsewhere/c.txt", "not an input\n"));
        var cli = new PlatformCli(dir);

        Run run = cli.run(
                "wasm",
                "run",
                Guests.WORDCOUNT.toString(),
                "-i",
                "s3://" + bucket + "/in/",
                "-o",
                "outputs:/outputs",
                "--",
                "/inputs");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("2 files: 3 4 19\n", run.stdout());
        String cid = Cid.rawOf(Files.readAllBytes(Guests.WORDCOUNT)).toString();
        assertTrue(run.stderr().contains(" is " + cid), run.stderr());
        String jobId = PlatformCli.jobId(run);
        assertTrue(run.stderr().contains("job " + jobId + ": completed in "), run.stderr());

        Path result = dir.resolve("result");
        Run get = cli.run("job", "get", jobId, "--output-dir", result.toString());
        assertEquals(0, get.exit(), get.stderr());
        assertEquals("a.txt 2 3 14\nb.txt 1 1 5\n", Files.readString(result.resolve("outputs/counts.txt")));
    }

    /**
     * {@code -I lib.wasm} links an import that names lib by its CID, {@code --entry-point} is Bacalhau's spelling, and
     * {@code cidra get} unpacks Bacalhau's result layout.
     */
    @Test
    void anImportModuleFileSatisfiesAnImportNamingItsCidAndGetUnpacksTheResult() throws Exception {
        var cli = new PlatformCli(dir);
        String lib = Guests.CASES.resolve("import-by-cid/store/lib.wasm").toString();

        Run run = cli.run("wasm", "run", Guests.module("import-by-cid"), "--entry-point", "_start", "-I", lib);

        assertEquals(0, run.exit(), run.stderr());
        String expected = Files.readString(Guests.CASES.resolve("import-by-cid/expected-stdout"));
        assertEquals(expected, run.stdout());
        Path result = dir.resolve("result");
        Run get = cli.run("get", PlatformCli.jobId(run), "--output-dir", result.toString());
        assertEquals(0, get.exit(), get.stderr());
        assertEquals(expected, Files.readString(result.resolve("stdout")));
        assertEquals("0", Files.readString(result.resolve("exitCode")));
        assertTrue(Files.exists(result.resolve("stderr")));
    }

    @Test
    void theGuestsNonZeroExitCodeIsCidrasAndItsStreamsArePassedOn() throws Exception {
        Run run = new PlatformCli(dir).run("wasm", "run", Guests.module("exit-code"));

        assertEquals(3, run.exit(), run.stderr());
        assertEquals("about to fail\n", run.stdout());
        String jobId = PlatformCli.jobId(run);
        assertTrue(
                run.stderr()
                        .endsWith(Files.readString(Guests.CASES.resolve("exit-code/expected-stderr")) + "cidra: job "
                                + jobId + " failed: the guest exited with code 3\n"),
                run.stderr());
    }

    @Test
    void argumentsAfterTheDoubleDashAndTheEnvironmentReachTheGuest() throws Exception {
        var cli = new PlatformCli(dir);
        String cid = cli.run("module", "put", Guests.module("args")).stdout().strip();

        Run args = cli.run("wasm", "run", cid, "--", "--not-a-cidra-flag", "two words");
        assertEquals(0, args.exit(), args.stderr());
        assertEquals(cid + "\n--not-a-cidra-flag\ntwo words\n", args.stdout());

        Run env = cli.run("wasm", "run", Guests.module("env"), "-e", "GREETING=hi there");
        assertEquals(0, env.exit(), env.stderr());
        assertTrue(env.stdout().contains("GREETING=hi there\n"), env.stdout());
    }

    @Test
    void aModuleTheGatewayStoresIsNotUploadedAgain() throws Exception {
        // hello.wasm with a custom section of random bytes: a module no other test uploaded.
        byte[] hello = Files.readAllBytes(Path.of(Guests.module("hello")));
        byte[] unique = Arrays.copyOf(hello, hello.length + 23);
        byte[] section = {0, 21, 4, 't', 'e', 's', 't'};
        System.arraycopy(section, 0, unique, hello.length, section.length);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        System.arraycopy(random, 0, unique, hello.length + section.length, random.length);
        Path module = dir.resolve("unique.wasm");
        Files.write(module, unique);
        String cid = Cid.rawOf(unique).toString();
        var cli = new PlatformCli(dir);

        Run first = cli.run("wasm", "run", module.toString());
        assertEquals(0, first.exit(), first.stderr());
        assertTrue(first.stderr().contains(" bytes) is " + cid + "\n"), first.stderr());
        double uploads = uploads();

        Run second = cli.run("wasm", "run", module.toString());
        assertEquals(0, second.exit(), second.stderr());
        assertEquals("hello, world\n", second.stdout());
        // "unchanged" when the file had not changed for FileCids' 2 s before the first run read it: its CID not hashed
        // again
        assertTrue(
                second.stderr().matches("(?s).* bytes\\) is " + cid + ", (unchanged and )?stored already\n.*"),
                second.stderr());
        assertEquals(uploads, uploads(), "the gateway counted no upload for the second run");
    }

    /** The gateway's count of module uploads, every outcome. */
    private static double uploads() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(
                            HttpRequest.newBuilder(
                                            SharedPlatform.get().gateway().resolve("/q/metrics"))
                                    .header(
                                            "Authorization",
                                            "Bearer " + SharedPlatform.get().token())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return metrics.lines()
                    .filter(line -> line.startsWith("cidra_module_uploads_total"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    @Test
    void anEntrypointAfterTheModuleIsCalled() throws Exception {
        Run run = new PlatformCli(dir).run("wasm", "run", Guests.module("entrypoint-custom"), "run");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(Files.readString(Guests.CASES.resolve("entrypoint-custom/expected-stdout")), run.stdout());
    }

    @Test
    void aModuleAtAnHttpUrlIsFetchedUploadedAndRunAndAnIpfsUrlOfAStoredCidIsUsedAsIs() throws Exception {
        byte[] hello = Files.readAllBytes(Path.of(Guests.module("hello")));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello.wasm", exchange -> {
            exchange.sendResponseHeaders(200, hello.length);
            exchange.getResponseBody().write(hello);
            exchange.close();
        });
        server.start();
        try {
            var cli = new PlatformCli(dir);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello.wasm";

            Run fromUrl = cli.run("wasm", "run", url);
            assertEquals(0, fromUrl.exit(), fromUrl.stderr());
            assertEquals("hello, world\n", fromUrl.stdout());
            String cid = Cid.rawOf(hello).toString();
            assertTrue(fromUrl.stderr().contains("module: " + url + " (" + hello.length + " bytes) is " + cid));

            Run fromIpfs = cli.run("wasm", "run", "ipfs://" + cid);
            assertEquals(0, fromIpfs.exit(), fromIpfs.stderr());
            assertEquals("hello, world\n", fromIpfs.stdout());
            assertTrue(!fromIpfs.stderr().contains("module: "), fromIpfs.stderr());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void stdoutBeyondTheExcerptIsReadFromThePublishedResult() throws Exception {
        Run run = new PlatformCli(dir).run("wasm", "run", Guests.module("stdout-flood"));

        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().length() > 4096, "stdout has " + run.stdout().length() + " chars");
        assertTrue(run.stdout().chars().allMatch(c -> c == 'x'), "stdout is not all x");
    }

    @Test
    void anUnknownCidIsOneLineAndExit1() throws Exception {
        String unknown =
                Cid.rawOf("no such module".getBytes(StandardCharsets.UTF_8)).toString();

        Run run = new PlatformCli(dir).run("wasm", "run", unknown);

        assertEquals(new Run(1, "", "cidra: no module " + unknown + " is stored in this registry\n"), run);
    }
}
