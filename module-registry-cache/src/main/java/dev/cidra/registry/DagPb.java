package dev.cidra.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * dag-pb nodes that carry UnixFS data. Encoding is byte for byte what kubo writes: in the PBNode, every Link (field 2)
 * before Data (field 1); in each PBLink, Hash (1), Name (2, present and empty) and Tsize (3); in the UnixFS Data message,
 * Type (1), Data (2, left out when empty), filesize (3) and one unpacked blocksizes entry (4) per link. Decoding accepts
 * any valid node and rejects malformed ones with a {@link RegistryException} naming the block. Stateless and thread-safe.
 */
final class DagPb {
    static final int TYPE_RAW = 0;
    static final int TYPE_DIRECTORY = 1;
    static final int TYPE_FILE = 2;
    static final int TYPE_METADATA = 3;
    static final int TYPE_SYMLINK = 4;
    static final int TYPE_HAMT_SHARD = 5;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private DagPb() {}

    /** A link from a UnixFS file node to a child: its CID, cumulative block size and file bytes. */
    record Link(Cid cid, long tsize, long fileSize) {}

    /**
     * A decoded UnixFS node: its type, inline data, the filesize field (-1 if absent), blocksizes, links and the
     * links' names (empty strings for unnamed links), in order.
     */
    record Node(int type, byte[] data, long fileSize, long[] blockSizes, List<Cid> links, List<String> names) {}

    /** A UnixFS File leaf holding {@code data}. */
    static byte[] fileLeaf(byte[] data) {
        Writer unixfs = new Writer();
        unixfs.varintField(1, TYPE_FILE);
        if (data.length > 0) {
            unixfs.bytesField(2, data);
        }
        unixfs.varintField(3, data.length);
        Writer node = new Writer();
        node.bytesField(1, unixfs.toByteArray());
        return node.toByteArray();
    }

    /** A UnixFS File node whose content is the concatenation of {@code links}' content, in order. */
    static byte[] fileNode(List<Link> links) {
        Writer unixfs = new Writer();
        unixfs.varintField(1, TYPE_FILE);
        unixfs.varintField(3, links.stream().mapToLong(Link::fileSize).sum());
        Writer node = new Writer();
        for (Link link : links) {
            unixfs.varintField(4, link.fileSize());
            Writer pbLink = new Writer();
            pbLink.bytesField(1, link.cid().toBytes());
            pbLink.bytesField(2, new byte[0]);
            pbLink.varintField(3, link.tsize());
            node.bytesField(2, pbLink.toByteArray());
        }
        node.bytesField(1, unixfs.toByteArray());
        return node.toByteArray();
    }

    /** A named link from a UnixFS directory to an entry: its name, CID and cumulative block size. */
    record NamedLink(String name, Cid cid, long tsize) {}

    /**
     * A UnixFS Directory node linking {@code links} in the order given (kubo orders them by the bytes of their UTF-8
     * names); its Data is the UnixFS message of type Directory alone.
     */
    static byte[] directoryNode(List<NamedLink> links) {
        Writer unixfs = new Writer();
        unixfs.varintField(1, TYPE_DIRECTORY);
        Writer node = new Writer();
        for (NamedLink link : links) {
            Writer pbLink = new Writer();
            pbLink.bytesField(1, link.cid().toBytes());
            pbLink.bytesField(2, link.name().getBytes(StandardCharsets.UTF_8));
            pbLink.varintField(3, link.tsize());
            node.bytesField(2, pbLink.toByteArray());
        }
        node.bytesField(1, unixfs.toByteArray());
        return node.toByteArray();
    }

    /** Decodes the dag-pb block fetched as {@code cid} and the UnixFS message in its Data field. */
    static Node decode(Cid cid, byte[] block) {
        Reader node = new Reader(block, cid);
        byte[] unixfs = null;
        List<Cid> links = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (node.hasMore()) {
            long tag = node.varint();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                if (unixfs != null) {
                    throw node.malformed("the dag-pb Data field appears twice");
                }
                unixfs = node.bytes();
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                NamedLink link = link(new Reader(node.bytes(), cid));
                links.add(link.cid());
                names.add(link.name());
            } else {
                throw node.malformed("unexpected dag-pb field " + (tag >>> 3) + " with wire type " + (tag & 7));
            }
        }
        if (unixfs == null) {
            throw node.malformed("the dag-pb node has no Data field, so it is not a UnixFS node");
        }
        return unixfs(new Reader(unixfs, cid), links, names);
    }

    private static NamedLink link(Reader link) {
        Cid target = null;
        String name = "";
        while (link.hasMore()) {
            long tag = link.varint();
            if (tag == tag(1, LENGTH_DELIMITED)) {
                byte[] hash = link.bytes();
                try {
                    target = Cid.fromBytes(hash);
                } catch (InvalidCidException e) {
                    throw link.malformed("a link names a CID this platform does not accept: " + e.getMessage());
                }
            } else if (tag == tag(2, LENGTH_DELIMITED)) {
                name = new String(link.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (tag == tag(3, VARINT)) {
                link.varint();
            } else {
                throw link.malformed("unexpected PBLink field " + (tag >>> 3) + " with wire type " + (tag & 7));
            }
        }
        if (target == null) {
            throw link.malformed("a link has no Hash");
        }
        return new NamedLink(name, target, 0);
    }

    private static Node unixfs(Reader unixfs, List<Cid> links, List<String> names) {
        int type = -1;
        byte[] data = new byte[0];
        long fileSize = -1;
        LongStream.Builder blockSizes = LongStream.builder();
        while (unixfs.hasMore()) {
            long tag = unixfs.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 1 && wireType == VARINT) {
                type = (int) Math.min(unixfs.size("Type"), Integer.MAX_VALUE);
            } else if (field == 2 && wireType == LENGTH_DELIMITED) {
                data = unixfs.bytes();
            } else if (field == 3 && wireType == VARINT) {
                fileSize = unixfs.size("filesize");
            } else if (field == 4 && wireType == VARINT) {
                blockSizes.add(unixfs.size("blocksizes"));
            } else if (field == 4 && wireType == LENGTH_DELIMITED) {
                Reader packed = new Reader(unixfs.bytes(), unixfs.cid);
                while (packed.hasMore()) {
                    blockSizes.add(packed.size("blocksizes"));
                }
            } else {
                unixfs.skip(wireType);
            }
        }
        if (type < 0) {
            throw unixfs.malformed("the UnixFS Data message has no Type");
        }
        return new Node(type, data, fileSize, blockSizes.build().toArray(), List.copyOf(links), List.copyOf(names));
    }

    private static long tag(int field, int wireType) {
        return ((long) field << 3) | wireType;
    }

    /** Protobuf output for the handful of field kinds a UnixFS file node uses. */
    private static final class Writer extends ByteArrayOutputStream {
        void varintField(int field, long value) {
            varint(tag(field, VARINT));
            varint(value);
        }

        void bytesField(int field, byte[] value) {
            varint(tag(field, LENGTH_DELIMITED));
            varint(value.length);
            writeBytes(value);
        }

        private void varint(long value) {
            while ((value & ~0x7fL) != 0) {
                write((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            write((int) value);
        }
    }

    /** Bounds-checked protobuf input; every failure names the block it reads. */
    private static final class Reader {
        private final byte[] bytes;
        private final Cid cid;
        private int position;

        Reader(byte[] bytes, Cid cid) {
            this.bytes = bytes;
            this.cid = cid;
        }

        boolean hasMore() {
            return position < bytes.length;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    throw malformed("a varint runs past the end of its message");
                }
                int b = bytes[position++] & 0xff;
                value |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
            throw malformed("a varint is longer than 10 bytes");
        }

        /** A varint that counts bytes, so it must fit a signed long. */
        long size(String field) {
            long value = varint();
            if (value < 0) {
                throw malformed(field + " " + Long.toUnsignedString(value) + " is larger than 2^63 - 1");
            }
            return value;
        }

        byte[] bytes() {
            long length = varint();
            if (length < 0 || length > bytes.length - position) {
                throw malformed(
                        "a field declares " + length + " bytes but only " + (bytes.length - position) + " remain");
            }
            byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
            position += (int) length;
            return value;
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case LENGTH_DELIMITED -> bytes();
                case FIXED64 -> advance(8);
                case FIXED32 -> advance(4);
                default -> throw malformed("unsupported protobuf wire type " + wireType);
            }
        }

        private void advance(int count) {
            if (count > bytes.length - position) {
                throw malformed("a fixed-size field runs past the end of its message");
            }
            position += count;
        }

        RegistryException malformed(String problem) {
            return new RegistryException("block " + cid + " is not a valid UnixFS dag-pb node: " + problem);
        }
    }
}
