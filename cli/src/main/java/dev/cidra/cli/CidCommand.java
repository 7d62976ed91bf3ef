package dev.cidra.cli;

import dev.cidra.registry.UnixFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cidra cid}: the CID {@code ipfs add} would print for a file. */
@Command(
        name = "cid",
        mixinStandardHelpOptions = true,
        description = "Print the CID that `ipfs add` computes for FILE (256 KiB chunks, balanced DAG).",
        footer = {
            "",
            "Examples:",
            "  cidra cid module.wasm                   # what `ipfs add --cid-version=1 module.wasm` prints (bafk...)",
            "  cidra cid --cid-version=0 module.wasm   # what plain `ipfs add module.wasm` prints (Qm...)"
        })
final class CidCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The file to hash.")
    Path file;

    @Option(
            names = "--cid-version",
            defaultValue = "1",
            description =
                    "0: CIDv0 with UnixFS leaves (plain `ipfs add`); 1: CIDv1 with raw leaves. Default: ${DEFAULT-VALUE}.")
    int cidVersion;

    @Override
    public Integer call() throws IOException {
        if (cidVersion != 0 && cidVersion != 1) {
            throw new IllegalArgumentException("--cid-version must be 0 or 1, not " + cidVersion);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        long size = Files.size(file);
        try (InputStream in = Progress.wrap(Files.newInputStream(file), size, "hashing " + file.getFileName())) {
            System.out.println(UnixFs.add(in, cidVersion));
        }
        return 0;
    }
}
