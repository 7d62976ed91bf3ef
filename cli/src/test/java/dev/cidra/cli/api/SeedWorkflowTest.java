package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.cli.CidraProcess.Run;
import dev.cidra.cli.platform.SharedPlatform;
import dev.cidra.registry.Cid;
import dev.cidra.registry.UnixFs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bacalhau's seed workflow on the real local platform ({@link SharedPlatform}): a Rust program built for
 * {@code wasm32-wasi} ({@code src/test/resources/seam-carving}, its build.sh beside it) reads its image from
 * {@code inputs/} by a relative path, the IPFS directory {@code -v CID:inputs} mounts there, and writes its files under
 * {@code outputs/}; {@code cidra get} fetches them, and they are the native build's, byte for byte.
 */
class SeedWorkflowTest {
    private static final Path SEAM_CARVING =
            Path.of("src/test/resources/seam-carving").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theSeamCarvingProgramRunsOnTheIpfsDirectoryMountedAtInputsAndGetFetchesTheNativeBuildsOutputs()
            throws Exception {
        byte[] image = Files.readAllBytes(SEAM_CARVING.resolve("inputs/image.ppm"));
        Cid inputs = UnixFs.addDirectory(
                List.of(new UnixFs.TreeEntry("image.ppm", () -> new ByteArrayInputStream(image))),
                1,
                SharedPlatform.get().ipfs()::serve);
        var cli = new PlatformCli(dir, Duration.ofMinutes(15));

        Run run = cli.run(
                "wasm",
                "run",
                SEAM_CARVING.resolve("seam_carving.wasm").toString(),
                "_start",
                "-v",
                inputs + ":inputs",
                "--timeout",
                "10m");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(
                "inputs/image.ppm: 480x320, removing 120 seams\n"
                        + "wrote outputs/carved.ppm (360x320), energy.pgm, seams.ppm, seams.txt\n",
                run.stdout());
        Path result = dir.resolve("result");
        Run get = cli.run("get", PlatformCli.jobId(run), "--output-dir", result.toString());
        assertEquals(0, get.exit(), get.stderr());
        List<Path> expected;
        try (var files = Files.list(SEAM_CARVING.resolve("expected"))) {
            expected = files.sorted().toList();
        }
        try (var files = Files.list(result.resolve("outputs"))) {
            assertEquals(
                    expected.stream().map(Path::getFileName).toList(),
                    files.sorted().map(Path::getFileName).toList());
        }
        for (Path file : expected) {
            assertArrayEquals(
                    Files.readAllBytes(file),
                    Files.readAllBytes(result.resolve("outputs").resolve(file.getFileName())),
                    file.getFileName().toString());
        }
    }
}
