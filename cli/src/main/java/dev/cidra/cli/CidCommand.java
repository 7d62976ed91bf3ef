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

/** {@code cidra cid}: the CID {@code ipfs add} would print for a file, or {@code ipfs add -r} for a directory. */
@Command(
        name = "cid",
        mixinStandardHelpOptions = true,
        description = "Print the CID that `ipfs add` computes for FILE (256 KiB chunks, balanced DAG), or with -r"
                + " that `ipfs add -r --hidden` computes for a directory (a job result's CID).",
        footer = {
            "",
            "Examples:",
            "  cidra cid module.wasm                   # what `ipfs add --cid-version=1 module.wasm` prints (bafk...)",
            "  cidra cid --cid-version=0 module.wasm   # what plain `ipfs add module.wasm` prints (Qm...)",
            "  cidra cid -r result/                    # what `ipfs add -r --cid-version=1 result/` prints (bafy...)"
        })
final class CidCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The file (or, with -r, the directory) to hash.")
    Path file;

    @Option(
            names = {"-r", "--recursive"},
            description = "FILE is a directory: hash it and everything in it, hidden files included, as"
                    + " `ipfs add -r --hidden` does; symbolic links are refused.")
    boolean recursive;

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
        if (recursive) {
            if (!Files.isDirectory(file)) {
                throw new IllegalArgumentException(file
                        + (Files.exists(file) ? " is not a directory; drop -r to hash a file" : ": no such directory"));
            }
            System.out.println(UnixFs.addDirectory(file, cidVersion, (cid, block) -> {}));
            return 0;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; add -r to hash it and its contents");
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
