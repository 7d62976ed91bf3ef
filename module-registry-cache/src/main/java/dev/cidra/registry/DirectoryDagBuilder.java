package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the UnixFS directory DAG that {@code ipfs add -r} builds: each file as {@link FileDagBuilder} cuts it, each
 * directory a dag-pb Directory node whose links are ordered by the bytes of their UTF-8 names and carry the entry's
 * cumulative size. Directories whose links kubo would shard into a HAMT are refused. Not thread-safe; one instance
 * builds one tree.
 */
final class DirectoryDagBuilder {
    /**
     * kubo's {@code Import.UnixFSHAMTDirectorySizeThreshold}: a directory whose links (name bytes plus CID bytes) add up
     * to more than this is sharded.
     */
    static final int HAMT_THRESHOLD = 256 * 1024;

    private static final Comparator<String> UTF8_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** A directory being filled: its entries by name, each a {@link Node} or a {@link UnixFs.TreeEntry} file. */
    private static final class Node {
        final Map<String, Object> children = new TreeMap<>(UTF8_ORDER);
    }

    private final FileDagBuilder.Shape shape;
    private final UnixFs.BlockSink sink;

    private DirectoryDagBuilder(FileDagBuilder.Shape shape, UnixFs.BlockSink sink) {
        this.shape = shape;
        this.sink = sink;
    }

    /**
     * The root CID of the tree {@code entries} describe; parent directories of an entry need not be listed. Blocks go
     * to {@code sink} children first, the root's last.
     *
     * @throws IllegalArgumentException naming an entry whose path is not relative, has an empty, {@code .} or
     *     {@code ..} name, or is both a file and a directory
     * @throws RegistryException naming a directory that kubo would shard
     */
    static Cid build(List<UnixFs.TreeEntry> entries, FileDagBuilder.Shape shape, UnixFs.BlockSink sink)
            throws IOException {
        Node root = new Node();
        for (UnixFs.TreeEntry entry : entries) {
            place(root, entry);
        }
        return new DirectoryDagBuilder(shape, sink).directory("", root).cid();
    }

    private static void place(Node root, UnixFs.TreeEntry entry) {
        String[] names = entry.path().split("/", -1);
        Node dir = root;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(
                        "path \"" + entry.path() + "\" must be relative and name no empty," + " \".\" or \"..\" entry");
            }
            boolean last = i == names.length - 1;
            Object existing = dir.children.get(name);
            if (last && !entry.directory()) {
                if (existing != null) {
                    throw new IllegalArgumentException("path \"" + entry.path() + "\" is listed twice");
                }
                dir.children.put(name, entry);
                return;
            }
            if (existing == null) {
                existing = new Node();
                dir.children.put(name, existing);
            } else if (!(existing instanceof Node)) {
                throw new IllegalArgumentException(
                        "path \"" + entry.path() + "\" needs a directory where a file is listed");
            }
            dir = (Node) existing;
        }
    }

    private DagPb.NamedLink directory(String path, Node node) throws IOException {
        List<DagPb.NamedLink> links = new ArrayList<>(node.children.size());
        long estimate = 0;
        for (Map.Entry<String, Object> child : node.children.entrySet()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
            DagPb.NamedLink link;
            if (child.getValue() instanceof Node dir) {
                link = directory(childPath, dir);
            } else {
                try (InputStream in =
                        ((UnixFs.TreeEntry) child.getValue()).content().open()) {
                    DagPb.Link file = FileDagBuilder.buildLink(in, shape, sink);
                    link = new DagPb.NamedLink(child.getKey(), file.cid(), file.tsize());
                }
            }
            links.add(new DagPb.NamedLink(child.getKey(), link.cid(), link.tsize()));
            estimate += child.getKey().getBytes(StandardCharsets.UTF_8).length
                    + link.cid().toBytes().length;
        }
        if (estimate > HAMT_THRESHOLD) {
            throw new RegistryException("directory \"" + (path.isEmpty() ? "." : path) + "\" has "
                    + links.size() + " entries (" + estimate + " bytes of links, more than " + HAMT_THRESHOLD
                    + "): ipfs add would shard it as a HAMT directory, which Cidra does not build");
        }
        byte[] block = DagPb.directoryNode(links);
        Cid cid = Cid.hash(shape.cidVersion(), Cid.Codec.DAG_PB, block);
        sink.put(cid, block);
        long tsize = block.length;
        for (DagPb.NamedLink link : links) {
            tsize += link.tsize();
        }
        return new DagPb.NamedLink(path, cid, tsize);
    }
}
