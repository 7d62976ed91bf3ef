package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

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
}
