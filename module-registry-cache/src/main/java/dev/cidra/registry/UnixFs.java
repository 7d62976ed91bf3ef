package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * UnixFS files as IPFS stores them: {@link #add} computes the CID {@code ipfs add} (kubo) prints for some bytes, and
 * {@link #cat} reassembles a file from its blocks. Stateless and thread-safe.
 */
public final class UnixFs {
    /** kubo's default chunker: {@code size-262144}. */
    static final int CHUNK_SIZE = 256 * 1024;
    /** kubo's default maximum number of links per node of the balanced layout. */
    static final int MAX_LINKS = 174;

    private UnixFs() {}

    /** Receives the blocks of a DAG as they are built, children before parents. */
    public interface BlockSink {
        void put(Cid cid, byte[] block) throws IOException;
    }

    /** Supplies blocks by CID. */
    public interface BlockSource {
        /**
         * The raw bytes of the block named {@code cid}, or null if the source does not have it. The caller verifies
         * them against {@code cid}.
         */
        byte[] block(Cid cid) throws IOException;
    }

    /**
     * Exactly what {@code ipfs add} (kubo defaults) prints: cidVersion 0 gives a CIDv0 with dag-pb UnixFS File leaves;
     * cidVersion 1 (as {@code ipfs add --cid-version=1}) a CIDv1 with raw leaves, so content up to 256 KiB, and the
     * empty file, is a single raw block ({@code bafkrei...}). 256 KiB fixed-size chunks, balanced DAG with at most 174
     * links per node. Streaming: holds one chunk and the links of the open nodes. Reads {@code in} to its end and does
     * not close it.
     *
     * @throws IllegalArgumentException if cidVersion is not 0 or 1
     */
    public static Cid add(InputStream in, int cidVersion) throws IOException {
        return add(in, cidVersion, (cid, block) -> {});
    }

    /**
     * Like {@link #add(InputStream, int)}, and passes every block (leaves and inner nodes) to {@code blocks} as soon
     * as it is built, children before parents; the root block comes last. An exception from {@code blocks} stops the
     * import and propagates.
     */
    public static Cid add(InputStream in, int cidVersion, BlockSink blocks) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(blocks, "blocks");
        return FileDagBuilder.build(in, FileDagBuilder.Shape.kubo(cidVersion), blocks);
    }

    /** {@link #add(InputStream, int)} of bytes in memory. */
    public static Cid add(byte[] content, int cidVersion) {
        Objects.requireNonNull(content, "content");
        return FileDagBuilder.root(content, FileDagBuilder.Shape.kubo(cidVersion));
    }

    /** Opens the bytes of a file of a tree; each call reads them again from the start. */
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * One entry of a directory tree.
     *
     * @param path relative to the tree's root, names separated by {@code /}
     * @param content a file's bytes; null for a directory
     */
    public record TreeEntry(String path, Content content) {
        public TreeEntry {
            Objects.requireNonNull(path, "path");
        }

        /** Whether this entry is a directory. */
        public boolean directory() {
            return content == null;
        }
    }

    /**
     * Exactly what {@code ipfs add -r --hidden} (kubo defaults) prints for a directory holding {@code entries}: every
     * file as {@link #add(InputStream, int, BlockSink)} builds it, every directory a dag-pb UnixFS Directory node with
     * links in UTF-8 byte order of their names. Parent directories of an entry need not be listed; an empty list is
     * the empty directory. Blocks go to {@code blocks} children first, the root's last.
     *
     * @throws IllegalArgumentException naming an entry whose path is not relative, has an empty, {@code .} or
     *     {@code ..} name, or is both a file and a directory
     * @throws RegistryException naming a directory with so many entries that kubo would shard it (HAMT), which this
     *     does not build
     */
    public static Cid addDirectory(List<TreeEntry> entries, int cidVersion, BlockSink blocks) throws IOException {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(blocks, "blocks");
        return DirectoryDagBuilder.build(entries, FileDagBuilder.Shape.kubo(cidVersion), blocks);
    }

    /**
     * {@link #addDirectory(List, int, BlockSink)} of the directory {@code dir} on disk, hidden files included.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory, or holds a symbolic link or anything but
     *     directories and regular files; names it
     */
    public static Cid addDirectory(Path dir, int cidVersion, BlockSink blocks) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        List<TreeEntry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(dir)) {
                    continue;
                }
                String relative = StreamSupport.stream(dir.relativize(path).spliterator(), false)
                        .map(Path::toString)
                        .collect(Collectors.joining("/"));
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new TreeEntry(relative, null));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new TreeEntry(relative, () -> Files.newInputStream(path)));
                } else {
                    throw new IllegalArgumentException(path + " is a symbolic link or special file; only directories"
                            + " and regular files have a CID here");
                }
            }
        }
        return addDirectory(entries, cidVersion, blocks);
    }

    /**
     * The CIDs a module file is known by, as text, each once: its raw CIDv1 (what the registry caches it under), and
     * what {@code ipfs add} prints for it with CID version 0 ({@code Qm...}) and 1. An import naming any of them is
     * satisfied by the file.
     */
    public static java.util.Set<String> names(byte[] content) {
        var names = new java.util.LinkedHashSet<String>();
        names.add(Cid.rawOf(content).toString());
        names.add(add(content, 0).toString());
        names.add(add(content, 1).toString());
        return java.util.Collections.unmodifiableSet(names);
    }

    /**
     * Reassembles a file from its DAG, fetching blocks from {@code source}; every block is verified against the CID it
     * was fetched under before it is decoded. Supports raw leaves and dag-pb UnixFS File/Raw nodes with inline data and
     * links, in any chunking and layout; each node's sizes must agree with its children's.
     *
     * @throws ContentMismatchException if a block does not hash to its CID; names that CID
     * @throws ModuleNotFoundException if {@code source} has no block for a CID of the DAG
     * @throws ModuleTooLargeException if the root's declared size (or a raw root's length) exceeds {@code maxBytes};
     *     checked before any further block is fetched
     * @throws RegistryException if the CID names a directory, symlink or HAMT shard instead of a file, or a block is
     *     not a valid UnixFS node or contradicts the sizes its parent declares
     */
    public static byte[] cat(Cid root, BlockSource source, long maxBytes) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(source, "source");
        return FileDagReader.read(root, source, maxBytes);
    }

    /**
     * Reads a file or a directory tree from its DAG, as {@code ipfs get} writes it: a file root is one entry of empty
     * path; a directory root is every directory and file below it, parents before children, files reassembled as
     * {@link #cat} does. Every block is verified against its CID before it is decoded.
     *
     * @param maxBytes the most bytes the files may hold together
     * @throws ContentMismatchException if a block does not hash to its CID; names that CID
     * @throws ModuleNotFoundException if {@code source} has no block for a CID of the DAG
     * @throws ModuleTooLargeException if the files hold more than {@code maxBytes}
     * @throws RegistryException if the tree holds a HAMT-sharded directory, a symlink, an entry whose name is not a
     *     plain file name or a name twice, or a block that is not a valid UnixFS node
     */
    public static List<TreeEntry> get(Cid root, BlockSource source, long maxBytes) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(source, "source");
        return DirectoryDagReader.read(root, source, maxBytes);
    }
}
