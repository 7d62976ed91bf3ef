package dev.cidra.executor.service.publishing;

import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.registry.Cid;
import dev.cidra.registry.UnixFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A job result as a sorted list of entries (directories end in {@code /}), and its {@code .tar.gz} form. The archive
 * is reproducible: entries in name order, modification times set to the job's submission, owner 0, modes 0755 and
 * 0644, gzip header without a time; names of any length (PAX headers). Only directories and regular files are taken
 * from the result directories; anything else (links cannot be made by guests) is skipped.
 */
final class ResultFiles {
    /** One entry: a directory, a file on the host, or bytes. */
    record Entry(String name, Path file, byte[] bytes, long size) {
        boolean directory() {
            return name.endsWith("/");
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
        }
    }

    private final List<Entry> entries;

    private ResultFiles(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Lists the result and charges the bytes of its files to {@code budget}.
     *
     * @throws DiskBudget.DiskBudgetExceededException if the files are larger than what is left of the budget
     */
    static ResultFiles of(JobResult result, DiskBudget budget) throws IOException {
        var entries = new ArrayList<Entry>();
        entries.add(new Entry("exitCode", null, result.exitCodeFile(), result.exitCodeFile().length));
        entries.add(new Entry("stderr", null, result.stderr(), result.stderr().length));
        entries.add(new Entry("stdout", null, result.stdout(), result.stdout().length));
        for (Map.Entry<String, Path> dir : result.directories().entrySet()) {
            Path root = dir.getValue();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : (Iterable<Path>) walk::iterator) {
                    String relative = root.relativize(path).toString();
                    String name = relative.isEmpty() ? dir.getKey() : dir.getKey() + "/" + relative;
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        entries.add(new Entry(name + "/", null, null, 0));
                    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        entries.add(new Entry(name, path, null, Files.size(path)));
                    }
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        long bytes = entries.stream().mapToLong(Entry::size).sum();
        budget.take(bytes, "the result (" + bytes + " bytes)");
        return new ResultFiles(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * The UnixFS CIDv1 of the result directory, exactly what {@code ipfs add -r --hidden --cid-version=1} prints for
     * it once unpacked.
     *
     * @throws dev.cidra.registry.RegistryException naming a directory with too many entries for one node (kubo would
     *     shard it)
     */
    Cid cid() throws IOException {
        List<UnixFs.TreeEntry> tree = entries.stream()
                .map(entry -> entry.directory()
                        ? new UnixFs.TreeEntry(
                                entry.name().substring(0, entry.name().length() - 1), null)
                        : new UnixFs.TreeEntry(entry.name(), entry::open))
                .toList();
        return UnixFs.addDirectory(tree, 1, (cid, block) -> {});
    }

    /** Writes the {@code .tar.gz} to {@code file} (created or replaced) and returns its SHA-256. */
    byte[] writeTarGz(Path file, Instant time) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), sha256);
                var gzip = new GZIPOutputStream(raw, 64 * 1024);
                var tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (Entry entry : entries) {
                var header = new TarArchiveEntry(entry.name());
                header.setModTime(time.toEpochMilli());
                header.setUserId(0);
                header.setGroupId(0);
                header.setMode(entry.directory() ? 040755 : 0100644);
                if (!entry.directory()) {
                    header.setSize(entry.size());
                }
                tar.putArchiveEntry(header);
                if (!entry.directory()) {
                    try (InputStream in = entry.open()) {
                        long copied = in.transferTo(tar);
                        if (copied != entry.size()) {
                            throw new IOException(entry.name() + " changed size while it was archived");
                        }
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return sha256.digest();
    }
}
