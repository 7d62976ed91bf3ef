package dev.cidra.cli.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files of the state directory (credentials, configurations, the CLI's stores) that only their owner may read. */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /**
     * Writes {@code text} to {@code file}, readable by its owner only, replacing it atomically: a reader sees the old
     * content or the new one, never a part. Each writer first writes a file of its own beside it, so concurrent
     * writers cannot mix their texts; the last to move its file in wins.
     */
    public static void write(Path file, String text) throws IOException {
        Path partial = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                file.getFileName() + ".",
                ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
