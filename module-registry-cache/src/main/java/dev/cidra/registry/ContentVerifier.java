package dev.cidra.registry;

import java.util.Objects;

/** Checks that a whole file is the content a CID names. Stateless and thread-safe. */
public final class ContentVerifier {
    private ContentVerifier() {}

    /**
     * Returns normally only if {@code content} is what {@code cid} names. A {@link Cid.Codec#RAW raw} CID must be the
     * sha2-256 of the content. A {@link Cid.Codec#DAG_PB dag-pb} CID must be the root {@code ipfs add} computes with
     * its defaults (256 KiB chunks, balanced layout, at most 174 links per node): for a CIDv0 with dag-pb leaves
     * ({@code ipfs add}); for a CIDv1 with raw leaves ({@code ipfs add --cid-version=1}), or with dag-pb leaves
     * ({@code --raw-leaves=false}), or as the CIDv1 form of the CIDv0 ({@code ipfs cid base32 Qm...}).
     *
     * @throws ContentMismatchException naming the expected CID and the CID the bytes hash to
     */
    public static void verify(Cid cid, byte[] content) {
        Objects.requireNonNull(cid, "cid");
        Objects.requireNonNull(content, "content");
        if (cid.codec() == Cid.Codec.RAW) {
            if (!cid.matches(content)) {
                throw new ContentMismatchException(
                        "content is not " + cid + ": its " + content.length + " bytes hash to " + Cid.rawOf(content));
            }
            return;
        }
        Cid added = UnixFs.add(content, cid.version());
        if (added.equals(cid)
                || cid.version() == 1
                        && (UnixFs.add(content, 0).toV1().equals(cid)
                                || FileDagBuilder.root(content, dagPbLeavesV1()).equals(cid))) {
            return;
        }
        throw new ContentMismatchException("content is not " + cid + ": `ipfs add"
                + (cid.version() == 1 ? " --cid-version=1" : "") + "` of its " + content.length + " bytes gives "
                + added + (cid.version() == 1 ? " (nor do dag-pb leaves or the CIDv1 form of its CIDv0 match)" : "")
                + "; whole-file verification of a dag-pb CID assumes `ipfs add` defaults (256 KiB chunks, balanced"
                + " layout, 174 links per node), so a file added with other options cannot be verified this way");
    }

    private static FileDagBuilder.Shape dagPbLeavesV1() {
        return new FileDagBuilder.Shape(1, false, UnixFs.CHUNK_SIZE, UnixFs.MAX_LINKS);
    }
}
