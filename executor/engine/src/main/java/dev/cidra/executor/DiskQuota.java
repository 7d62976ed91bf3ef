package dev.cidra.executor;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The byte and entry budget of an invocation's writable mounts, charged before each write, create, truncate or
 * allocate that would grow them and credited when the guest removes or shrinks something. What is on a mount when the
 * invocation starts counts too. A charge that does not fit is refused with ENOSPC, so the host directories never hold
 * more than the budget (bytes are file sizes; sparse holes count). Used by the guest's thread only.
 */
final class DiskQuota {
    private final long maxBytes;
    private final long maxFiles;
    private long bytes;
    private long files;

    DiskQuota(long maxBytes, long maxFiles) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /** Counts what is already below {@code dir} (not the directory itself; links are not followed). */
    void count(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(dir)) {
                    files++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files++;
                if (attrs.isRegularFile()) {
                    bytes += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** How many of {@code wanted} more bytes fit; 0 means none. */
    long room(long wanted) {
        return Math.max(0, Math.min(wanted, maxBytes - bytes));
    }

    /** Charges {@code growth} bytes, or refuses with ENOSPC charging nothing. */
    void grow(long growth) {
        if (growth <= 0) {
            bytes += growth;
            return;
        }
        if (growth > maxBytes - bytes) {
            throw new Errno(Errno.NOSPC);
        }
        bytes += growth;
    }

    /** Charges one new directory entry, or refuses with ENOSPC. */
    void create() {
        if (files >= maxFiles) {
            throw new Errno(Errno.NOSPC);
        }
        files++;
    }

    /** Credits one removed entry holding {@code size} bytes that no other link still holds. */
    void removed(long size) {
        files = Math.max(0, files - 1);
        bytes = Math.max(0, bytes - size);
    }
}
