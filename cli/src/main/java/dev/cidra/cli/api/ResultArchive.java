package dev.cidra.cli.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A job's published result as {@code GET /v1/jobs/{id}/outputs} serves it: a tar archive, gzip-compressed or not (told
 * apart by its first bytes), holding {@code stdout}, {@code stderr}, {@code exitCode} and the result paths' files.
 */
public final class ResultArchive {
    private ResultArchive() {}

    /** The contents of the regular-file entries named {@code names}; the others are skipped. */
    static Map<String, byte[]> read(InputStream body, Set<String> names) throws IOException {
        return read(body, names::contains);
    }

    /** The contents of every regular-file entry, in the archive's order. */
    public static Map<String, byte[]> readAll(InputStream body) throws IOException {
        return read(body, name -> true);
    }

    private static Map<String, byte[]> read(InputStream body, Predicate<String> wanted) throws IOException {
        var found = new LinkedHashMap<String, byte[]>();
        try (TarArchiveInputStream tar = tar(body)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (entry.isFile() && wanted.test(name)) {
                    found.put(name, tar.readAllBytes());
                }
            }
        }
        return found;
    }

    /**
     * Unpacks the archive into {@code dir}, which must not exist or be empty. Only directories, regular files and
     * symbolic links are unpacked; an entry is refused, ending the unpacking, when its name is absolute or has a
     * {@code ..} component, or when it is a link whose target is absolute or has a {@code ..} component, or is neither
     * of these types. So every file written is inside {@code dir} and every link points below its own directory:
     * nothing written or linked escapes {@code dir}.
     *
     * @return how many files were written
     * @throws IllegalStateException naming the refused entry
     */
    static int unpack(InputStream body, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " is not empty; choose another --output-dir");
                }
            }
        }
        Path root = Files.createDirectories(dir).toRealPath();
        int files = 0;
        try (TarArchiveInputStream tar = tar(body)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path relative = safe(entry.getName(), entry.getName());
                if (relative.toString().isEmpty()) {
                    continue;
                }
                Path target = root.resolve(relative);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Path link = safe(entry.getLinkName(), entry.getName() + " -> " + entry.getLinkName());
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, link);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    if (Files.isSymbolicLink(target) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IllegalStateException("result entry " + entry.getName() + " is in the archive twice");
                    }
                    Files.copy(tar, target);
                    files++;
                } else {
                    throw new IllegalStateException("result entry " + entry.getName()
                            + " is neither a file, a directory nor a symbolic link; refused");
                }
            }
        }
        return files;
    }

    /** {@code name} as a relative path without {@code ..} components. */
    private static Path safe(String name, String what) {
        Path path = Path.of(name.replaceFirst("^(\\./)+", ""));
        if (path.isAbsolute() || name.startsWith("/")) {
            throw new IllegalStateException("result entry " + what + " is an absolute path; refused");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw new IllegalStateException("result entry " + what + " leaves the output directory; refused");
            }
        }
        return path.normalize();
    }

    private static TarArchiveInputStream tar(InputStream body) throws IOException {
        var in = new BufferedInputStream(body);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new TarArchiveInputStream(gzip ? new GZIPInputStream(in) : in);
    }
}
