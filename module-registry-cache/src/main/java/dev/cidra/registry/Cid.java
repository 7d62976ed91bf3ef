package dev.cidra.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPFS content identifier as this platform accepts it: a sha2-256 multihash of a {@link Codec#RAW raw} or
 * {@link Codec#DAG_PB dag-pb} block, written as CIDv0 ({@code Qm...}, base58btc) or CIDv1 (lower-case base32 with the
 * multibase prefix {@code b}). Immutable and thread-safe; {@link #equals} compares version, codec and digest, so a
 * CIDv0 and its {@link #toV1() CIDv1 form} are different values that name the same block.
 */
public final class Cid {
    /** The multicodec of the block a CID names. */
    public enum Codec {
        /** {@code raw} (0x55): the block is the content itself. */
        RAW(0x55),
        /** {@code dag-pb} (0x70): the block is a protobuf node, for files a UnixFS node. */
        DAG_PB(0x70);

        final int code;

        Codec(int code) {
            this.code = code;
        }
    }

    static final int SHA2_256 = 0x12;
    static final int DIGEST_LENGTH = 32;
    private static final int MAX_QUOTED = 100;
    private static final String ACCEPTED = "accepted are CIDv0 'Qm...' (46 base58btc characters) and CIDv1 in"
            + " lower-case base32 'b...' with codec raw (0x55) or dag-pb (0x70) and a sha2-256 multihash"
            + " (`ipfs cid base32 <cid>` converts other encodings)";

    private final int version;
    private final Codec codec;
    private final byte[] digest;
    private String text; // computed on first use; a benign race, as for String.hashCode

    private Cid(int version, Codec codec, byte[] digest) {
        this.version = version;
        this.codec = codec;
        this.digest = digest;
    }

    /**
     * Parses a CIDv0 ({@code Qm} and 44 more base58btc characters: a sha2-256 multihash of a dag-pb block) or a CIDv1
     * in lower-case base32 with the multibase prefix {@code b}, codec raw or dag-pb and a sha2-256 multihash.
     *
     * @throws InvalidCidException naming the rule the text breaks and the accepted forms
     */
    public static Cid parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidCidException((text == null ? "null" : "an empty string") + " is not a CID; " + ACCEPTED);
        }
        if (!text.equals(text.strip())) {
            throw new InvalidCidException("CID '" + quote(text) + "' has leading or trailing whitespace");
        }
        if (text.startsWith("Qm")) {
            if (text.length() != 46) {
                throw new InvalidCidException("CIDv0 '" + quote(text) + "' has " + text.length()
                        + " characters; a CIDv0 has exactly 46 ('Qm' and 44 more base58btc characters)");
            }
            byte[] bytes = Multibase.decodeBase58btc(text);
            return new Cid(0, Codec.DAG_PB, readMultihash(bytes, 0, "CIDv0 '" + text + "'"));
        }
        if (text.charAt(0) == 'b') {
            byte[] bytes = Multibase.decodeBase32(text, 1);
            return readV1(bytes, "CID '" + quote(text) + "'");
        }
        if (text.length() == 46 && text.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new InvalidCidException("'" + text + "' has the length of a CIDv0 but does not start with 'Qm';"
                    + " a CIDv0 is a sha2-256 multihash in base58btc, which always starts with 'Qm'");
        }
        throw new InvalidCidException("unsupported multibase prefix '" + text.charAt(0) + "'"
                + MultiformatNames.multibase(text.charAt(0)) + " in CID '" + quote(text) + "'; " + ACCEPTED);
    }

    /** Like {@link #parse} but empty instead of throwing; for deciding whether a name is a CID at all. */
    public static Optional<Cid> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidCidException notACid) {
            return Optional.empty();
        }
    }

    /**
     * The CID of the given version and codec over a sha2-256 digest (copied).
     *
     * @throws InvalidCidException if the version is not 0 or 1, version 0 is combined with {@link Codec#RAW}, or the
     *     digest is not 32 bytes
     */
    public static Cid of(int version, Codec codec, byte[] sha256Digest) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sha256Digest, "sha256Digest");
        if (version != 0 && version != 1) {
            throw new InvalidCidException("unsupported CID version " + version + "; accepted are 0 and 1");
        }
        if (version == 0 && codec != Codec.DAG_PB) {
            throw new InvalidCidException("a CIDv0 always names a dag-pb block; use version 1 for codec " + codec);
        }
        if (sha256Digest.length != DIGEST_LENGTH) {
            throw new InvalidCidException(
                    "a sha2-256 digest has 32 bytes, got " + sha256Digest.length + " for a CIDv" + version);
        }
        return new Cid(version, codec, sha256Digest.clone());
    }

    /** The CIDv1 {@code raw} CID of {@code content}: what {@code ipfs add --cid-version=1} prints for up to 256 KiB. */
    public static Cid rawOf(byte[] content) {
        return new Cid(1, Codec.RAW, sha256(content));
    }

    public int version() {
        return version;
    }

    public Codec codec() {
        return codec;
    }

    /** The 32-byte sha2-256 digest of the block; a copy. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The binary CID: for CIDv0 the bare multihash, for CIDv1 version, codec and multihash as varints. */
    public byte[] toBytes() {
        int offset = version == 0 ? 0 : 2;
        byte[] bytes = new byte[offset + 2 + DIGEST_LENGTH];
        if (version == 1) {
            bytes[0] = 1;
            bytes[1] = (byte) codec.code; // both codes are below 0x80: one-byte varints
        }
        bytes[offset] = SHA2_256;
        bytes[offset + 1] = DIGEST_LENGTH;
        System.arraycopy(digest, 0, bytes, offset + 2, DIGEST_LENGTH);
        return bytes;
    }

    /** The CIDv1 naming the same block; {@code this} if already version 1. */
    public Cid toV1() {
        return version == 1 ? this : new Cid(1, codec, digest);
    }

    /** CIDv0 in base58btc ({@code Qm...}), CIDv1 in lower-case base32 with the prefix {@code b}. */
    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = version == 0 ? Multibase.encodeBase58btc(toBytes()) : "b" + Multibase.encodeBase32(toBytes());
            text = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other
                && version == other.version
                && codec == other.codec
                && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return (31 * version + codec.hashCode()) * 31 + Arrays.hashCode(digest);
    }

    /** The CID of {@code block} hashed with sha2-256. */
    static Cid hash(int version, Codec codec, byte[] block) {
        return new Cid(version, codec, sha256(block));
    }

    /** Whether {@code block} hashes to this CID's digest (constant time in the digest). */
    boolean matches(byte[] block) {
        return MessageDigest.isEqual(digest, sha256(block));
    }

    /** Reads a binary CID as found in a dag-pb link: a bare sha2-256 multihash (CIDv0) or a CIDv1. */
    static Cid fromBytes(byte[] bytes) {
        String what = "binary CID " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, MAX_QUOTED / 2));
        return bytes.length > 0 && bytes[0] == SHA2_256
                ? new Cid(0, Codec.DAG_PB, readMultihash(bytes, 0, what))
                : readV1(bytes, what);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** {@code text} cut to a length fit for an error message. */
    static String quote(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    }

    private static Cid readV1(byte[] bytes, String what) {
        int[] position = {0};
        long version = readVarint(bytes, position, what, "version");
        if (version != 1) {
            throw new InvalidCidException(what + " has version " + version + " (0x" + Long.toHexString(version)
                    + "); a multibase CID must be version 1 (a CIDv0 is written 'Qm...')");
        }
        long code = readVarint(bytes, position, what, "codec");
        Codec codec = code == Codec.RAW.code ? Codec.RAW : code == Codec.DAG_PB.code ? Codec.DAG_PB : null;
        if (codec == null) {
            throw new InvalidCidException(what + " has unsupported codec 0x" + Long.toHexString(code)
                    + MultiformatNames.codec(code) + "; accepted are raw (0x55) and dag-pb (0x70)");
        }
        return new Cid(1, codec, readMultihash(bytes, position[0], what));
    }

    private static byte[] readMultihash(byte[] bytes, int offset, String what) {
        int[] position = {offset};
        long function = readVarint(bytes, position, what, "hash function");
        if (function != SHA2_256) {
            throw new InvalidCidException(what + " uses unsupported hash function 0x" + Long.toHexString(function)
                    + MultiformatNames.hash(function) + "; only sha2-256 (0x12) is accepted");
        }
        long length = readVarint(bytes, position, what, "digest length");
        if (length != DIGEST_LENGTH) {
            throw new InvalidCidException(
                    what + " declares a sha2-256 digest of " + length + " bytes; sha2-256 digests are 32 bytes");
        }
        int remaining = bytes.length - position[0];
        if (remaining < DIGEST_LENGTH) {
            throw new InvalidCidException(what + " is truncated: the digest length mismatches, 32 bytes declared but "
                    + remaining + " present");
        }
        if (remaining > DIGEST_LENGTH) {
            throw new InvalidCidException(
                    what + " has " + (remaining - DIGEST_LENGTH) + " trailing bytes after the 32-byte digest");
        }
        return Arrays.copyOfRange(bytes, position[0], bytes.length);
    }

    private static long readVarint(byte[] bytes, int[] position, String what, String field) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (position[0] >= bytes.length) {
                throw new InvalidCidException(what + " ends inside its " + field);
            }
            int b = bytes[position[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw new InvalidCidException(what + " has a " + field + " varint longer than 9 bytes");
    }
}
