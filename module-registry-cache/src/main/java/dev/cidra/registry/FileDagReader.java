package dev.cidra.registry;

import java.io.IOException;
import java.util.List;

/**
 * Reassembles a UnixFS file from its blocks, depth first. Every block is checked against the CID it was fetched under
 * before it is decoded, every node's sizes must agree with its children's, and the size limit is enforced from the
 * root's declared size before any child is fetched. Not thread-safe; one instance reads one file.
 */
final class FileDagReader {
    /** Deeper than any importer goes (kubo's balanced DAG of 1 TiB has depth 3), and bounds the recursion. */
    private static final int MAX_DEPTH = 64;
    /** The largest byte array a JVM allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The expected size passed for the root, whose size only the limit bounds. */
    private static final long ROOT = -1;

    private final Cid root;
    private final UnixFs.BlockSource source;
    private final long maxBytes;
    private byte[] content;
    private int length;

    private FileDagReader(Cid root, UnixFs.BlockSource source, long maxBytes) {
        this.root = root;
        this.source = source;
        this.maxBytes = maxBytes;
    }

    static byte[] read(Cid root, UnixFs.BlockSource source, long maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        FileDagReader reader = new FileDagReader(root, source, maxBytes);
        reader.append(root, 0, ROOT);
        return reader.content;
    }

    /** Appends the content of the subtree at {@code cid}, which its parent declares to hold {@code expected} bytes. */
    private void append(Cid cid, int depth, long expected) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new RegistryException(
                    "file " + root + " is nested deeper than " + MAX_DEPTH + " levels at block " + cid);
        }
        byte[] block = fetch(cid);
        if (cid.codec() == Cid.Codec.RAW) {
            expect(cid, block.length, expected);
            write(block);
            return;
        }
        DagPb.Node node = DagPb.decode(cid, block);
        if (node.type() != DagPb.TYPE_FILE && node.type() != DagPb.TYPE_RAW) {
            throw new RegistryException(
                    depth == 0
                            ? "CID " + root + " names a " + typeName(node.type()) + ", not a file"
                            : "file " + root + " links to " + cid + ", a " + typeName(node.type())
                                    + ", not file content");
        }
        long[] blockSizes = node.blockSizes();
        List<Cid> links = node.links();
        if (blockSizes.length != links.size()) {
            throw inconsistent(cid, "it has " + links.size() + " links but " + blockSizes.length + " blocksizes");
        }
        long size = node.data().length;
        for (long blockSize : blockSizes) {
            if (blockSize == 0) {
                throw inconsistent(cid, "it links to a child of 0 bytes, which no importer produces");
            }
            size += blockSize;
        }
        if (node.fileSize() >= 0 && node.fileSize() != size) {
            throw inconsistent(
                    cid, "its filesize is " + node.fileSize() + " but its data and blocksizes add up to " + size);
        }
        expect(cid, size, expected);
        write(node.data());
        for (int i = 0; i < links.size(); i++) {
            append(links.get(i), depth + 1, blockSizes[i]);
        }
    }

    private byte[] fetch(Cid cid) throws IOException {
        byte[] block = source.block(cid);
        if (block == null) {
            throw new ModuleNotFoundException(
                    "block " + cid + (cid.equals(root) ? "" : " of file " + root) + " is not available");
        }
        if (!cid.matches(block)) {
            throw new ContentMismatchException("block fetched as " + cid
                    + (cid.equals(root) ? "" : " (part of file " + root + ")") + " hashes to "
                    + Cid.hash(cid.version(), cid.codec(), block) + " instead");
        }
        return block;
    }

    /**
     * Checks a subtree's size before any of its children is fetched. The root's size is checked against the limit
     * and sizes the result; every other subtree must hold exactly what its parent declares, so together they fill the
     * result exactly.
     */
    private void expect(Cid cid, long size, long expected) {
        if (expected != ROOT) {
            if (size != expected) {
                throw inconsistent(cid, "it holds " + size + " bytes where its parent declares " + expected);
            }
            return;
        }
        if (size > maxBytes) {
            throw new ModuleTooLargeException(
                    "file " + root + " has " + size + " bytes, more than the limit of " + maxBytes + " bytes");
        }
        if (size > MAX_ARRAY) {
            throw new ModuleTooLargeException(
                    "file " + root + " has " + size + " bytes, more than one byte array holds");
        }
        content = new byte[(int) size];
    }

    private void write(byte[] bytes) {
        System.arraycopy(bytes, 0, content, length, bytes.length);
        length += bytes.length;
    }

    private RegistryException inconsistent(Cid node, String problem) {
        return new RegistryException("file " + root + " is not a consistent UnixFS file: block " + node + " is"
                + " inconsistent because " + problem);
    }

    private static String typeName(int type) {
        return switch (type) {
            case DagPb.TYPE_DIRECTORY -> "directory";
            case DagPb.TYPE_HAMT_SHARD -> "directory (HAMT-sharded)";
            case DagPb.TYPE_SYMLINK -> "symlink";
            case DagPb.TYPE_METADATA -> "UnixFS metadata node";
            default -> "UnixFS node of unknown type " + type;
        };
    }
}
