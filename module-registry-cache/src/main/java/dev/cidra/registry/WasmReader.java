package dev.cidra.registry;

import dev.cidra.registry.WasmModule.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a WebAssembly binary (the spec's binary format, section 5): bytes, LEB128 {@code u32}, names and
 * limits; every read is bounds-checked and fails with the byte offset as an {@link InvalidModuleException}. Not
 * thread-safe; one per parse or rewrite.
 */
final class WasmReader {
    static final int SECTION_TYPE = 1;
    static final int SECTION_IMPORT = 2;
    static final int SECTION_FUNCTION = 3;
    static final int SECTION_TABLE = 4;
    static final int SECTION_MEMORY = 5;
    static final int SECTION_EXPORT = 7;
    static final int SECTION_START = 8;

    /** Limits with the flags byte they were encoded with (bit 0: has a maximum; bit 1: shared). */
    record LimitsAndFlags(Limits limits, int flags) {}

    final byte[] bytes;
    int pos;

    WasmReader(byte[] bytes) {
        this.bytes = bytes;
    }

    InvalidModuleException error(String message) {
        return new InvalidModuleException("malformed WebAssembly module at byte " + pos + ": " + message);
    }

    int u8() {
        if (pos >= bytes.length) {
            throw error("unexpected end of module");
        }
        return bytes[pos++] & 0xFF;
    }

    int u32le() {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    /**
     * A vector's element count, refused when it cannot fit in the bytes left (every element takes at least one byte):
     * a declared count is never trusted to size an allocation.
     */
    int count(String what) {
        int count = u32();
        if (Integer.toUnsignedLong(count) > bytes.length - pos) {
            throw error(Integer.toUnsignedString(count) + " " + what + " entries declared, but only "
                    + (bytes.length - pos) + " bytes are left");
        }
        return count;
    }

    int u32() {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result > 0xFFFF_FFFFL) {
                    throw error("LEB128 value out of u32 range");
                }
                return (int) result;
            }
        }
        throw error("LEB128 value longer than 5 bytes");
    }

    String name() {
        int length = u32();
        if (length < 0 || length > bytes.length - pos) {
            throw error("name of " + Integer.toUnsignedString(length) + " bytes runs past the end");
        }
        try {
            String name = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, length))
                    .toString();
            pos += length;
            return name;
        } catch (CharacterCodingException e) {
            throw error("name is not valid UTF-8");
        }
    }

    Limits limits(String what) {
        return limitsAndFlags(what).limits();
    }

    LimitsAndFlags limitsAndFlags(String what) {
        int flags = u8();
        if (flags >= 0x04 && flags <= 0x07) {
            throw error(what + " uses memory64, which is not supported");
        }
        if (flags > 0x03) {
            throw error(what + " has unknown limits flags 0x" + Integer.toHexString(flags));
        }
        long min = Integer.toUnsignedLong(u32());
        long max = (flags & 0x01) != 0 ? Integer.toUnsignedLong(u32()) : -1;
        return new LimitsAndFlags(new Limits(min, max), flags);
    }
}
