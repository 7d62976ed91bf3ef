package dev.cidra.registry;

import java.io.IOException;
import java.io.InputStream;

/** The size limit and verification rules every {@link ContentStore} applies, with the messages they throw. */
final class ContentChecks {
    /** The largest limit a fetch accepts: one more byte than the limit must still fit in a Java array. */
    static final long MAX_LIMIT = Integer.MAX_VALUE - 16;

    private ContentChecks() {}

    /** @throws IllegalArgumentException unless {@code 0 <= maxBytes <= MAX_LIMIT} */
    static long checkLimit(long maxBytes) {
        if (maxBytes < 0 || maxBytes > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "size limit must be between 0 and " + MAX_LIMIT + " bytes, was " + maxBytes);
        }
        return maxBytes;
    }

    /**
     * Reads at most {@code maxBytes + 1} bytes, so that a result longer than {@code maxBytes} means the content is over
     * the limit. Buffers no more than what it returns.
     */
    static byte[] readUpTo(InputStream in, long maxBytes) throws IOException {
        return in.readNBytes(Math.toIntExact(maxBytes + 1));
    }

    static ModuleTooLargeException tooLarge(Cid cid, long maxBytes, String source) {
        return new ModuleTooLargeException(
                "module " + cid + " is larger than the limit of " + maxBytes + " bytes (from " + source + ")");
    }

    /**
     * Returns {@code content} if it hashes to {@code cid}.
     *
     * @throws ContentMismatchException naming {@code source} otherwise
     */
    static byte[] verified(Cid cid, byte[] content, String source) {
        try {
            ContentVerifier.verify(cid, content);
        } catch (ContentMismatchException e) {
            throw atSource(e, source);
        }
        return content;
    }

    /** The same mismatch, with the source that served the bytes named first. */
    static ContentMismatchException atSource(ContentMismatchException e, String source) {
        var named = new ContentMismatchException(source + ": " + e.getMessage());
        named.initCause(e);
        return named;
    }
}
