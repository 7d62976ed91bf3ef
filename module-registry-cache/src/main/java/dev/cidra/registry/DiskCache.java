package dev.cidra.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * One file per CID, named by the CID string, in one directory that may be shared by several registries and
 * processes.
 *
 * <p>A file is written to a temporary file in the same directory and atomically renamed, so a reader sees either no
 * file or a complete one. Every read is verified against the CID; a file that cannot be served (corrupt, over the
 * unreadable) is deleted and reported as absent, never returned; one over the reader's limit is reported as absent and
 * kept. Failing to write the cache is logged and does
 * not fail the fetch. Thread-safe.
 */
final class DiskCache {
    private static final System.Logger LOG = System.getLogger(ModuleRegistry.class.getName());

    private final Path dir;
    private final DirectoryStore files;

    DiskCache(Path dir) {
        try {
            this.dir = Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the disk cache directory " + dir + ": " + e, e);
        }
        this.files = new DirectoryStore(this.dir, List.of(""));
    }

    Optional<byte[]> read(Cid cid, long maxBytes) {
        try {
            return files.fetch(cid, maxBytes);
        } catch (ModuleTooLargeException e) {
            // Kept for registries sharing the directory with a larger limit; the stores decide for this one.
            return Optional.empty();
        } catch (RegistryException e) {
            LOG.log(
                    Level.WARNING,
                    "deleting disk cache file of " + cid + ", which cannot be served: " + e.getMessage());
            deleteQuietly(file(cid));
            return Optional.empty();
        }
    }

    void write(Cid cid, byte[] content) {
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + cid + ".", ".tmp");
            Files.write(temp, content);
            Files.move(temp, file(cid), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write " + cid + " to the disk cache " + dir + ": " + e);
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file + ": " + e);
        }
    }

    private Path file(Cid cid) {
        return dir.resolve(cid.toString());
    }

    String describe() {
        return "disk cache " + dir;
    }
}
