package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.cli.CidraProcess;
import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.Guests;
import dev.cidra.registry.Cid;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cidra module ...} against the real local platform, and the errors every API command shares. */
class ModuleCommandsTest {
    @TempDir
    Path dir;

    @Test
    void aModulePutIsGotBackByteForByte() throws Exception {
        var cli = new PlatformCli(dir);
        byte[] module = Files.readAllBytes(Guests.WORDCOUNT);
        String cid = Cid.rawOf(module).toString();

        Run put = cli.run("module", "put", Guests.WORDCOUNT.toString());
        assertEquals(0, put.exit(), put.stderr());
        assertEquals(cid + "\n", put.stdout());
        assertEquals(
                cid + "\n",
                cli.run("module", "put", Guests.WORDCOUNT.toString()).stdout());

        Path file = dir.resolve("got.wasm");
        assertEquals(new Run(0, "", ""), cli.run("module", "get", cid, "-o", file.toString()));
        assertArrayEquals(module, Files.readAllBytes(file));
    }

    @Test
    void anUnknownCidIsTheGatewaysDetailOnOneLine() throws Exception {
        String unknown = Cid.rawOf("nothing".getBytes(StandardCharsets.UTF_8)).toString();

        Run run = new PlatformCli(dir)
                .run("module", "get", unknown, "-o", dir.resolve("x.wasm").toString());

        assertEquals(new Run(1, "", "cidra: no module " + unknown + " is stored in this registry\n"), run);
    }

    @Test
    void aBadFlagIsExit2WithOneLine() throws Exception {
        Run run = new PlatformCli(dir).run("module", "put", "--no-such-flag", Guests.WORDCOUNT.toString());

        assertEquals(new Run(2, "", "cidra: Unknown option: '--no-such-flag' (see --help)\n"), run);
    }

    @Test
    void anUnreachableGatewayIsOneLineNamingIt() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String api = "http://127.0.0.1:" + closed;
        var cli = new CidraProcess(dir, List.of(), Map.of("CIDRA_API", api), Duration.ofSeconds(60));

        Run run = cli.run("job", "list");

        assertEquals(
                new Run(
                        1,
                        "",
                        "cidra: cannot reach the gateway at " + api + " (is `./cidra up` running? set CIDRA_API)\n"),
                run);
    }
}
