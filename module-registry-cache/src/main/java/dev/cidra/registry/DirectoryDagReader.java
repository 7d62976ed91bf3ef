package dev.cidra.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Reads a UnixFS file or directory tree from its blocks, depth first: each directory's entries in its links' order,
 * each file reassembled by {@link FileDagReader}. Every block is checked against the CID it was fetched under before
 * it is decoded; the files' bytes together are bounded by the limit. Entry names must be plain names (no {@code /},
 * not {@code .} or {@code ..}, not empty, each once per directory); HAMT-sharded directories and symlinks are refused.
 * Not thread-safe; one instance reads one tree.
 */
final class DirectoryDagReader {
    /** Deeper than any tree a job's input holds, and bounds the recursion. */
    private static final int MAX_DEPTH = 64;

    private final Cid root;
    private final UnixFs.BlockSource source;
    private final List<UnixFs.TreeEntry> entries = new ArrayList<>();
    private long left;

    private DirectoryDagReader(Cid root, UnixFs.BlockSource source, long maxBytes) {
        this.root = root;
        this.source = source;
        this.left = maxBytes;
    }

    static List<UnixFs.TreeEntry> read(Cid root, UnixFs.BlockSource source, long maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        var reader = new DirectoryDagReader(root, source, maxBytes);
        reader.walk(root, "", 0);
        return List.copyOf(reader.entries);
    }

    private void walk(Cid cid, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new RegistryException("tree " + root + " is nested deeper than " + MAX_DEPTH + " levels at " + path);
        }
        if (cid.codec() == Cid.Codec.RAW) {
            file(cid, path, source);
            return;
        }
        byte[] block = source.block(cid);
        if (block == null) {
            throw new ModuleNotFoundException(
                    "block " + cid + (cid.equals(root) ? "" : " (" + path + " of " + root + ")") + " is not available");
        }
        if (!cid.matches(block)) {
            throw new ContentMismatchException("block fetched as " + cid
                    + (cid.equals(root) ? "" : " (" + path + " of " + root + ")") + " hashes to "
                    + Cid.hash(cid.version(), cid.codec(), block) + " instead");
        }
        DagPb.Node node = DagPb.decode(cid, block);
        if (node.type() == DagPb.TYPE_FILE || node.type() == DagPb.TYPE_RAW) {
            file(cid, path, other -> other.equals(cid) ? block : source.block(other));
            return;
        }
        if (node.type() != DagPb.TYPE_DIRECTORY) {
            throw new RegistryException((path.isEmpty() ? "CID " + root : path + " of " + root) + " is a "
                    + (node.type() == DagPb.TYPE_HAMT_SHARD ? "HAMT-sharded directory" : "symlink or special node")
                    + ", which is not supported; only files and plain directories are");
        }
        if (!path.isEmpty()) {
            entries.add(new UnixFs.TreeEntry(path, null));
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < node.links().size(); i++) {
            String name = node.names().get(i);
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")) {
                throw new RegistryException("directory " + (path.isEmpty() ? root.toString() : path + " of " + root)
                        + " has an entry named \"" + name + "\", which is not a plain file name");
            }
            if (!seen.add(name)) {
                throw new RegistryException("directory " + (path.isEmpty() ? root.toString() : path + " of " + root)
                        + " names \"" + name + "\" twice");
            }
            walk(node.links().get(i), path.isEmpty() ? name : path + "/" + name, depth + 1);
        }
    }

    private void file(Cid cid, String path, UnixFs.BlockSource blocks) throws IOException {
        byte[] content;
        try {
            content = FileDagReader.read(cid, blocks, left);
        } catch (ModuleTooLargeException e) {
            throw new ModuleTooLargeException("tree " + root + " holds more than " + left + " bytes more at "
                    + (path.isEmpty() ? "its root" : path) + ": " + e.getMessage());
        }
        left -= content.length;
        entries.add(new UnixFs.TreeEntry(path, () -> new ByteArrayInputStream(content)));
    }
}
