package dev.cidra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.registry.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code cidra} main in a child JVM ({@link CidraProcess}). */
class CliTest {
    private static final Path CASES = Guests.CASES;

    @TempDir
    Path dir;

    private Run cidra(byte[] stdin, String... args) throws IOException, InterruptedException {
        return new CidraProcess(dir, List.of(), Duration.ofSeconds(60)).run(stdin, args);
    }

    private Run cidra(String... args) throws IOException, InterruptedException {
        return cidra(new byte[0], args);
    }

    private static String module(String conformanceCase) {
        return Guests.module(conformanceCase);
    }

    @Test
    void cidPrintsWhatIpfsAddPrints() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello world\n");
        assertEquals(
                new Run(0, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4\n", ""),
                cidra("cid", file.toString()));
        assertEquals(
                new Run(0, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\n", ""),
                cidra("cid", "--cid-version=0", file.toString()));
    }

    /** kubo's own vector: test/sharness/t0040-add-and-cat.sh, add_directory '--cid-version=1'. */
    @Test
    void cidRecursiveIsWhatIpfsAddRecursivePrints() throws Exception {
        Path planets = Files.createDirectory(dir.resolve("planets"));
        Files.writeString(planets.resolve("mars.txt"), "Hello Mars!\n");
        Files.writeString(planets.resolve("venus.txt"), "Hello Venus!\n");
        assertEquals(
                new Run(0, "bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi\n", ""),
                cidra("cid", "-r", planets.toString()));
        assertEquals(
                new Run(0, "QmWSgS32xQEcXMeqd3YPJLrNBLSdsfYCep2U7CFkyrjXwY\n", ""),
                cidra("cid", "-r", "--cid-version=0", planets.toString()));
    }

    @Test
    void cidRecursiveOfAFileAndCidOfADirectoryAreOneLineAndExit2() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        Run fileRun = cidra("cid", "-r", file.toString());
        assertEquals(new Run(2, "", "cidra: " + file + " is not a directory; drop -r to hash a file\n"), fileRun);
        Run dirRun = cidra("cid", dir.toString());
        assertEquals(new Run(2, "", "cidra: " + dir + " is a directory; add -r to hash it and its contents\n"), dirRun);
    }

    @Test
    void cidOfAMissingFileIsOneLineAndExit2() throws Exception {
        Run run = cidra("cid", dir.resolve("absent").toString());
        assertEquals(2, run.exit());
        assertEquals("cidra: " + dir.resolve("absent") + ": no such file\n", run.stderr());
    }

    @Test
    void execStreamsStdioAndExitsWithTheGuestsCode() throws Exception {
        assertEquals(new Run(0, "hello, world\n", ""), cidra("exec", module("hello")));
        Run echo = cidra("binary\0safe\n".getBytes(StandardCharsets.UTF_8), "exec", module("stdin-echo"));
        assertEquals(new Run(0, "binary\0safe\n", ""), echo);
        Run exit = cidra("exec", module("exit-code"));
        assertEquals(3, exit.exit());
        assertEquals(Files.readString(CASES.resolve("exit-code/expected-stderr")), exit.stderr());
    }

    @Test
    void execPassesArgumentsAfterTheDoubleDash() throws Exception {
        Run run = cidra("exec", module("args"), "--", "--not-a-cidra-flag", "two words");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("module.wasm\n--not-a-cidra-flag\ntwo words\n", run.stdout());
    }

    @Test
    void execMountsInputsAndWritesOutputs() throws Exception {
        Path outputs = dir.resolve("out");
        Run run = cidra(
                "exec",
                module("outputs-write"),
                "--mount",
                CASES.resolve("outputs-write/inputs") + ":/inputs",
                "--outputs",
                outputs.toString());
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(
                Files.readString(CASES.resolve("outputs-write/expected-outputs/result.txt")),
                Files.readString(outputs.resolve("result.txt")));
    }

    @Test
    void aRunawayGuestExits124WithOneLine() throws Exception {
        Run run = cidra("exec", module("infinite-loop"), "--timeout", "300ms");
        assertEquals(new Run(124, "", "cidra: timed out after 300ms\n"), run);
    }

    @Test
    void aMalformedCidIsAUsageError() throws Exception {
        Run run = cidra("exec", "bafy-not-a-cid");
        assertEquals(2, run.exit());
        assertTrue(run.stderr().startsWith("cidra: bafy-not-a-cid is neither a file nor a CID: "), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
    }

    @Test
    void execFetchesCidImportsFromAStore() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        byte[] lib = Files.readAllBytes(CASES.resolve("import-by-cid/store/lib.wasm"));
        Files.write(store.resolve(Cid.rawOf(lib).toString()), lib);
        Run run = cidra("exec", module("import-by-cid"), "--store", store.toString());
        assertEquals(new Run(0, Files.readString(CASES.resolve("import-by-cid/expected-stdout")), ""), run);
    }

    @Test
    void execLinksACidNamedImportToAnImportModuleFileOfThatCid() throws Exception {
        String lib = CASES.resolve("import-by-cid/store/lib.wasm").toString();
        Run run = cidra("exec", module("import-by-cid"), "--import-module", lib);
        assertEquals(new Run(0, Files.readString(CASES.resolve("import-by-cid/expected-stdout")), ""), run);
        Run renamed = cidra("exec", module("import-by-cid"), "--import-module", "other=" + lib);
        assertEquals(new Run(0, Files.readString(CASES.resolve("import-by-cid/expected-stdout")), ""), renamed);
    }

    @Test
    void aModuleMissingFromEveryStoreIsRejectedNamingTheCid() throws Exception {
        Run run =
                cidra("exec", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "--store", dir.toString());
        assertEquals(125, run.exit());
        assertTrue(run.stderr().contains("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"), run.stderr());
    }

    @Test
    void execDeterministicPrintsTheSameBytesEveryRun() throws Exception {
        String guest = CASES.resolve("../runtime/deterministic.wasm").toString();
        Path first = dir.resolve("out1");
        Path second = dir.resolve("out2");
        Run one = cidra("exec", guest, "--deterministic", "--random-seed", "7", "--outputs", first.toString());
        Run two = cidra("exec", guest, "--deterministic", "--random-seed", "7", "--outputs", second.toString());
        assertEquals(0, one.exit(), one.stderr());
        assertTrue(one.stdout().contains("realtime 946684800001000000 ns\n"), one.stdout());
        assertEquals(one, two);
        assertEquals(Files.readString(first.resolve("report.txt")), Files.readString(second.resolve("report.txt")));
        Run live = cidra("exec", guest, "--outputs", dir.resolve("out3").toString());
        assertEquals(0, live.exit(), live.stderr());
        assertTrue(!live.stdout().equals(one.stdout()), live.stdout());
    }

    @Test
    void aRandomSeedWithoutDeterministicIsAUsageError() throws Exception {
        Run run = cidra("exec", module("hello"), "--random-seed", "7");
        assertEquals(new Run(2, "", "cidra: --random-seed needs --deterministic\n"), run);
    }
}
