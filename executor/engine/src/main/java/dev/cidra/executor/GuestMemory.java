package dev.cidra.executor;

import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/**
 * One module instance's exported {@code memory}, read and written little-endian through the polyglot buffer API (no
 * host access needed). Bound after instantiation; a host call before that, or from a module that exports no memory,
 * fails with EFAULT. Addresses are unsigned 32-bit; an access out of bounds is EFAULT, never an exception.
 */
final class GuestMemory {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private Value memory;

    void bind(Value exportedMemory) {
        this.memory = exportedMemory != null && exportedMemory.hasBufferElements() ? exportedMemory : null;
    }

    private Value memory() {
        if (memory == null) {
            throw new Errno(Errno.FAULT);
        }
        return memory;
    }

    private static long address(int pointer, long length) {
        long address = Integer.toUnsignedLong(pointer);
        if (length < 0) {
            throw new Errno(Errno.FAULT);
        }
        return address;
    }

    byte u8(int pointer) {
        return memory().readBufferByte(address(pointer, 1));
    }

    int i32(int pointer) {
        return memory().readBufferInt(LE, address(pointer, 4));
    }

    long i64(int pointer) {
        return memory().readBufferLong(LE, address(pointer, 8));
    }

    short i16(int pointer) {
        return memory().readBufferShort(LE, address(pointer, 2));
    }

    void u8(int pointer, int value) {
        memory().writeBufferByte(address(pointer, 1), (byte) value);
    }

    void i16(int pointer, int value) {
        memory().writeBufferShort(LE, address(pointer, 2), (short) value);
    }

    void i32(int pointer, int value) {
        memory().writeBufferInt(LE, address(pointer, 4), value);
    }

    void i64(int pointer, long value) {
        memory().writeBufferLong(LE, address(pointer, 8), value);
    }

    void fill(int pointer, int length, int value) {
        for (int i = 0; i < length; i++) {
            u8(pointer + i, value);
        }
    }

    /** Checks that {@code [pointer, pointer + length)} lies inside memory. */
    void check(int pointer, int length) {
        long end = Integer.toUnsignedLong(pointer) + Integer.toUnsignedLong(length);
        if (end > memory().getBufferSize()) {
            throw new Errno(Errno.FAULT);
        }
    }

    byte[] read(int pointer, int length) {
        check(pointer, length);
        var bytes = new byte[length];
        memory().readBuffer(Integer.toUnsignedLong(pointer), bytes, 0, length);
        return bytes;
    }

    void write(int pointer, byte[] bytes, int offset, int length) {
        check(pointer, length);
        Value m = memory();
        long address = Integer.toUnsignedLong(pointer);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long word = 0;
            for (int b = 7; b >= 0; b--) {
                word = (word << 8) | (bytes[offset + i + b] & 0xFF);
            }
            m.writeBufferLong(LE, address + i, word);
        }
        for (; i < length; i++) {
            m.writeBufferByte(address + i, bytes[offset + i]);
        }
    }

    void write(int pointer, byte[] bytes) {
        write(pointer, bytes, 0, bytes.length);
    }

    /** A UTF-8 string argument; invalid UTF-8 is EILSEQ. */
    String string(int pointer, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(read(pointer, length)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Errno(Errno.ILSEQ);
        }
    }
}
