package dev.cidra.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the UnixFS file DAG that {@code ipfs add} builds: fixed-size chunks, a balanced layout (go-unixfs/boxo
 * {@code balanced.Layout}: the leftmost subtrees full, depth grown only when a level overflows) and dag-pb inner nodes.
 * Streaming: it holds one chunk and, per level of the tree, the links of the node still open there. Not thread-safe;
 * one instance builds one file.
 */
final class FileDagBuilder {
    /**
     * How to cut and link a file.
     *
     * @param cidVersion version of the dag-pb node CIDs (raw leaves are always CIDv1)
     * @param rawLeaves leaves are raw blocks instead of UnixFS File nodes
     */
    record Shape(int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks) {
        Shape {
            if (cidVersion != 0 && cidVersion != 1) {
                throw new IllegalArgumentException("cidVersion must be 0 or 1, got " + cidVersion);
            }
            if (cidVersion == 0 && rawLeaves) {
                throw new IllegalArgumentException("raw leaves need CIDv1");
            }
            if (chunkSize < 1 || maxLinks < 2) {
                throw new IllegalArgumentException(
                        "need chunkSize >= 1 and maxLinks >= 2, got " + chunkSize + " and " + maxLinks);
            }
        }

        /** What {@code ipfs add} does by default ({@code --cid-version=0}) or with {@code --cid-version=1}. */
        static Shape kubo(int cidVersion) {
            return new Shape(cidVersion, cidVersion == 1, UnixFs.CHUNK_SIZE, UnixFs.MAX_LINKS);
        }
    }

    private static final UnixFs.BlockSink DISCARD = (cid, block) -> {};

    private final Shape shape;
    private final UnixFs.BlockSink sink;
    /** levels.get(d): links to finished subtrees of depth d whose parent is not built yet; never maxLinks long. */
    private final List<List<DagPb.Link>> levels = new ArrayList<>();

    private FileDagBuilder(Shape shape, UnixFs.BlockSink sink) {
        this.shape = shape;
        this.sink = sink;
    }

    /** Reads {@code in} to its end, passes every block to {@code sink} as it is built and returns the root CID. */
    static Cid build(InputStream in, Shape shape, UnixFs.BlockSink sink) throws IOException {
        return buildLink(in, shape, sink).cid();
    }

    /** Like {@link #build}, and returns the root's link: its CID, cumulative block size and file size. */
    static DagPb.Link buildLink(InputStream in, Shape shape, UnixFs.BlockSink sink) throws IOException {
        FileDagBuilder builder = new FileDagBuilder(shape, sink);
        byte[] chunk;
        while ((chunk = readChunk(in, shape.chunkSize())) != null) {
            builder.addLeaf(chunk);
        }
        return builder.finish();
    }

    /** The root CID of {@code content}, keeping no blocks. */
    static Cid root(byte[] content, Shape shape) {
        try {
            return build(new ByteArrayInputStream(content), shape, DISCARD);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory stream and a discarding sink do not fail", e);
        }
    }

    /** The next chunk: chunkSize bytes, fewer at the end of the stream, null after it. */
    private static byte[] readChunk(InputStream in, int chunkSize) throws IOException {
        byte[] chunk = new byte[chunkSize];
        int length = in.readNBytes(chunk, 0, chunkSize);
        return length == 0 ? null : length == chunkSize ? chunk : Arrays.copyOf(chunk, length);
    }

    private void addLeaf(byte[] chunk) throws IOException {
        if (shape.rawLeaves()) {
            Cid cid = Cid.hash(1, Cid.Codec.RAW, chunk);
            sink.put(cid, chunk);
            push(0, new DagPb.Link(cid, chunk.length, chunk.length));
        } else {
            byte[] block = DagPb.fileLeaf(chunk);
            Cid cid = Cid.hash(shape.cidVersion(), Cid.Codec.DAG_PB, block);
            sink.put(cid, block);
            push(0, new DagPb.Link(cid, block.length, chunk.length));
        }
    }

    /** Adds a finished subtree; a level that reaches maxLinks becomes a node one level up. */
    private void push(int depth, DagPb.Link link) throws IOException {
        if (levels.size() == depth) {
            levels.add(new ArrayList<>(shape.maxLinks()));
        }
        List<DagPb.Link> level = levels.get(depth);
        level.add(link);
        if (level.size() == shape.maxLinks()) {
            DagPb.Link node = node(level);
            level.clear();
            push(depth + 1, node);
        }
    }

    /**
     * Closes the open nodes bottom up. A level's links become a node unless they are a single link with nothing above,
     * which is the root: so one chunk is its own root, and a partial last subtree hangs under the full ones at the
     * depth the balanced layout gives it.
     */
    private DagPb.Link finish() throws IOException {
        if (levels.isEmpty()) {
            addLeaf(new byte[0]);
        }
        for (int depth = 0; ; depth++) {
            List<DagPb.Link> level = levels.get(depth);
            boolean above = levels.subList(depth + 1, levels.size()).stream().anyMatch(l -> !l.isEmpty());
            if (!above && level.size() == 1) {
                return level.getFirst();
            }
            if (!level.isEmpty()) {
                DagPb.Link node = node(level);
                level.clear();
                if (levels.size() == depth + 1) {
                    levels.add(new ArrayList<>(shape.maxLinks()));
                }
                levels.get(depth + 1).add(node);
            }
        }
    }

    private DagPb.Link node(List<DagPb.Link> children) throws IOException {
        byte[] block = DagPb.fileNode(children);
        Cid cid = Cid.hash(shape.cidVersion(), Cid.Codec.DAG_PB, block);
        sink.put(cid, block);
        long tsize = block.length;
        long fileSize = 0;
        for (DagPb.Link child : children) {
            tsize += child.tsize();
            fileSize += child.fileSize();
        }
        return new DagPb.Link(cid, tsize, fileSize);
    }
}
