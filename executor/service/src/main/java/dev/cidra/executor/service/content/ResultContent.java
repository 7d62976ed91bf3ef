package dev.cidra.executor.service.content;

import dev.cidra.contract.ApiKey;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.UnixFs;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The platform's content store of results: every published result's {@code .tar.gz}, kept in the state bucket at
 * {@code content/<tenant>/<CID>.tar.gz} under the UnixFS CIDv1 of the result directory. The state bucket is the
 * platform's own (no job's {@code s3} input or publisher may name it: {@code JobStorageAccess}), so only executors
 * write it, and an object is kept under the CID it was computed for.
 *
 * <p>Guarantees: a result is readable only by jobs of the tenant whose job produced it (the tenant is part of the
 * key, so another tenant cannot even learn that a CID exists); what {@link #fetch} returns has been unpacked and its
 * directory CID recomputed ({@link UnixFs#addDirectory(Path, int, UnixFs.BlockSink)}) and found equal to the CID
 * asked for, so a modified object is refused, not served. Reads and writes report to the {@link S3Outage}.
 * Thread-safe.
 */
@Singleton
public class ResultContent {
    private final S3Client s3;
    private final String bucket;
    private final S3Outage outage;

    ResultContent(S3Client s3, ExecutorConfig config, S3Outage outage) {
        this.s3 = s3;
        this.outage = outage;
        this.bucket = config.jobs().stateBucket().orElse(config.registry().bucket());
    }

    /** A CID with an optional path inside its directory, as an {@code ipfs} input names it: {@code CID[/path]}. */
    public record ContentPath(Cid cid, String path) {
        /**
         * @throws InvalidCidException if the part before the first {@code /} is not a CID
         * @throws IllegalArgumentException if the path has an empty, {@code .} or {@code ..} segment
         */
        public static ContentPath parse(String text) {
            String trimmed = text.startsWith("/ipfs/") ? text.substring("/ipfs/".length()) : text;
            int slash = trimmed.indexOf('/');
            Cid cid = Cid.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
            String path = slash < 0 ? "" : trimmed.substring(slash + 1);
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!path.isEmpty()) {
                for (String segment : path.split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                        throw new IllegalArgumentException("the path after the CID must name entries of its directory"
                                + " (no empty, . or .. segment), not \"" + path + "\"");
                    }
                }
            }
            return new ContentPath(cid, path);
        }
    }

    static String key(String tenant, Cid cid) {
        return "content/" + (tenant == null ? ApiKey.DEFAULT_TENANT : tenant) + "/" + cid.toV1() + ".tar.gz";
    }

    /**
     * Keeps a result's archive under its directory CID for its tenant; keeping the same CID again replaces the object
     * with the same content.
     *
     * @throws SdkException if the state bucket cannot be written
     */
    public void keep(String tenant, Cid cid, Path archive) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key(tenant, cid)).contentType("application/gzip"),
                    RequestBody.fromFile(archive));
        } catch (SdkException e) {
            outage.failed(S3Outage.NODE, "keeping a result in the content store", e);
            throw e;
        }
        outage.succeeded(S3Outage.NODE);
    }

    /**
     * Unpacks the kept result {@code content.cid()} of {@code tenant} into {@code staging}, checks its CID, and moves
     * the entry {@code content.path()} names (the whole directory when empty) to {@code target}: a directory's
     * entries become {@code target}'s, a file becomes {@code target/<fileName>}.
     *
     * @param staging an absent directory of the work directory the unpacked result may take
     * @return what it found: {@link Found#NOTHING} when the tenant has no result of that CID (nothing was written)
     * @throws IOException naming what is wrong: the object does not unpack, its CID is not the one asked for, or the
     *     path names nothing in it
     * @throws DiskBudget.DiskBudgetExceededException if the unpacked files are more than the budget left
     * @throws SdkException if the state bucket cannot be read
     */
    public Found fetch(
            String tenant, ContentPath content, Path staging, Path target, String fileName, DiskBudget budget)
            throws IOException {
        String key = key(tenant, content.cid());
        Path unpacked;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            outage.succeeded(S3Outage.NODE);
            unpacked = unpack(in, staging, budget);
        } catch (NoSuchKeyException e) {
            outage.succeeded(S3Outage.NODE);
            return Found.NOTHING;
        } catch (SdkException e) {
            outage.failed(S3Outage.NODE, "reading the content store", e);
            throw e;
        }
        Cid actual = UnixFs.addDirectory(unpacked, 1, (cid, block) -> {});
        if (!actual.equals(content.cid().toV1())) {
            throw new IOException("the content store's copy of " + content.cid() + " has the CID " + actual + " (s3://"
                    + bucket + "/" + key + " was modified); it is not served");
        }
        Path entry = unpacked.resolve(content.path());
        Files.createDirectories(target);
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(entry, target.resolve(fileName));
            return Found.FILE;
        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(entry)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    Files.move(child, target.resolve(child.getFileName().toString()));
                }
            }
        } else {
            throw new IOException(content.cid() + " has no entry " + content.path());
        }
        return Found.DIRECTORY;
    }

    /** What {@link #fetch} found of a CID. */
    public enum Found {
        /** The tenant keeps no result of that CID. */
        NOTHING,
        /** The path named a file. */
        FILE,
        /** The CID, or its path, named a directory. */
        DIRECTORY
    }

    /** Unpacks a result archive into {@code staging}, refusing entries that would leave it. */
    private static Path unpack(InputStream in, Path staging, DiskBudget budget) throws IOException {
        Files.createDirectories(staging);
        Path root = staging.toAbsolutePath().normalize();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(in, 64 * 1024), "UTF-8")) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root) || path.equals(root)) {
                    throw new IOException("the kept result holds an entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isFile()) {
                    budget.take(entry.getSize(), entry.getName());
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                } else {
                    throw new IOException("the kept result holds " + entry.getName() + ", neither file nor directory");
                }
            }
        }
        return root;
    }
}
