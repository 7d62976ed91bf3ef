package dev.cidra.registry;

/**
 * The names of the multiformats codes a {@link Cid} may carry but this platform refuses (other multibases, codecs
 * and hash functions), so that an error says what was given: {@code " (dag-cbor)"}, or {@code ""} for a code not
 * listed. From the <a href="https://github.com/multiformats/multicodec/blob/master/table.csv">multicodec table</a>.
 */
final class MultiformatNames {
    private MultiformatNames() {}

    /** The multibase of a CID's first character. */
    static String multibase(char prefix) {
        return switch (prefix) {
            case 'z' -> " (base58btc)";
            case 'B' -> " (base32 upper case)";
            case 'f' -> " (base16)";
            case 'F' -> " (base16 upper case)";
            case 'k' -> " (base36)";
            case 'K' -> " (base36 upper case)";
            case 'm' -> " (base64)";
            case 'u' -> " (base64url)";
            case 'c' -> " (base32 with padding)";
            case 'v' -> " (base32hex)";
            default -> "";
        };
    }

    /** The multicodec of a CIDv1's content type. */
    static String codec(long code) {
        return code != (int) code
                ? ""
                : switch ((int) code) {
                    case 0x71 -> " (dag-cbor)";
                    case 0x72 -> " (libp2p-key)";
                    case 0x0129 -> " (dag-json)";
                    case 0x0200 -> " (json)";
                    case 0x51 -> " (cbor)";
                    default -> "";
                };
    }

    /** The multihash function. */
    static String hash(long function) {
        return function != (int) function
                ? ""
                : switch ((int) function) {
                    case 0x00 -> " (identity)";
                    case 0x11 -> " (sha1)";
                    case 0x13 -> " (sha2-512)";
                    case 0x16 -> " (sha3-256)";
                    case 0x1b -> " (keccak-256)";
                    case 0x1e -> " (blake3)";
                    case 0xb220 -> " (blake2b-256)";
                    default -> "";
                };
    }
}
