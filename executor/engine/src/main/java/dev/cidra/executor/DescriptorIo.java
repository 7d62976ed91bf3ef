package dev.cidra.executor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;

/**
 * Reading, writing, seeking and resizing through a {@link Descriptor} for the {@code fd_*} calls: standard streams,
 * and files at their own position or at an offset. Growth of a file is charged to its mount's {@link DiskQuota}
 * before it happens. Failures are {@link Errno}s or the I/O exceptions {@link Errno#of} maps. Stateless.
 */
final class DescriptorIo {
    private static final int WHENCE_SET = 0;
    private static final int WHENCE_CUR = 1;
    private static final int WHENCE_END = 2;

    private DescriptorIo() {}

    static int sync(Descriptor d, boolean metadata) throws IOException {
        if (d.channel != null) {
            d.channel.force(metadata);
        }
        return Errno.SUCCESS;
    }

    /** Sets a file's size, charging growth to the quota first. */
    static void resize(Descriptor d, long size) throws IOException {
        if (!d.root.writable()) {
            throw new Errno(Errno.ROFS);
        }
        long old = d.channel.size();
        if (size > old) {
            d.root.quota().grow(size - old);
            try {
                d.channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            } catch (IOException | RuntimeException e) {
                d.root.quota().grow(old - size);
                throw e;
            }
        } else if (size < old) {
            d.channel.truncate(size);
            d.root.quota().grow(size - old);
        }
    }

    static int seek(GuestMemory m, Descriptor d, long offset, int whence, int result) throws IOException {
        if (!d.isFile()) {
            return d.isDirectory() ? Errno.BADF : Errno.SPIPE;
        }
        d.require(offset == 0 && whence == WHENCE_CUR ? Descriptor.FD_TELL : Descriptor.FD_SEEK);
        long from =
                switch (whence) {
                    case WHENCE_SET -> 0;
                    case WHENCE_CUR -> d.position;
                    case WHENCE_END -> d.channel.size();
                    default -> throw new Errno(Errno.INVAL);
                };
        long to = from + offset;
        if (to < 0) {
            return Errno.INVAL;
        }
        d.position = to;
        m.i64(result, to);
        return Errno.SUCCESS;
    }

    /** fd_read ({@code offset} -1) and fd_pread: fills the iovecs in order until the source has no more. */
    static int read(GuestMemory m, Descriptor d, int iovs, int count, long offset, int resultPointer)
            throws IOException {
        if (d.isDirectory()) {
            return Errno.ISDIR;
        }
        d.require(Descriptor.FD_READ);
        if (d.in != null && offset >= 0) {
            return Errno.SPIPE;
        }
        long total = 0;
        long position = offset >= 0 ? offset : d.position;
        for (int i = 0; i < count; i++) {
            int buf = m.i32(iovs + 8 * i);
            int length = m.i32(iovs + 8 * i + 4);
            m.check(buf, length);
            if (length == 0) {
                continue;
            }
            var bytes = new byte[Math.min(length, 1 << 20)];
            int n;
            if (d.in != null) {
                n = d.in.read(bytes, 0, bytes.length);
            } else {
                n = d.channel.read(ByteBuffer.wrap(bytes), position);
            }
            if (n <= 0) {
                break;
            }
            m.write(buf, bytes, 0, n);
            total += n;
            position += n;
            if (n < length || d.in != null) {
                break;
            }
        }
        if (offset < 0 && d.channel != null) {
            d.position = position;
        }
        m.i32(resultPointer, (int) total);
        return Errno.SUCCESS;
    }

    /**
     * fd_write ({@code offset} -1) and fd_pwrite. An append descriptor's fd_write goes to the end of the file; its
     * fd_pwrite writes at {@code offset} (as POSIX says) and moves no position. Growth is charged to the quota: what
     * does not fit is not written (a short write), and nothing fitting is ENOSPC.
     */
    static int write(GuestMemory m, Descriptor d, int iovs, int count, long offset, int resultPointer)
            throws IOException {
        if (d.isDirectory()) {
            return Errno.ISDIR;
        }
        d.require(Descriptor.FD_WRITE);
        if (d.out != null) {
            if (offset >= 0) {
                return Errno.SPIPE;
            }
            long total = 0;
            for (int i = 0; i < count; i++) {
                int length = m.i32(iovs + 8 * i + 4);
                byte[] bytes = m.read(m.i32(iovs + 8 * i), length);
                d.out.write(bytes, 0, bytes.length);
                total += length;
            }
            m.i32(resultPointer, (int) total);
            return Errno.SUCCESS;
        }
        if (!d.root.writable()) {
            return Errno.ROFS;
        }
        var chunks = new ArrayList<byte[]>();
        long wanted = 0;
        for (int i = 0; i < count; i++) {
            byte[] bytes = m.read(m.i32(iovs + 8 * i), m.i32(iovs + 8 * i + 4));
            chunks.add(bytes);
            wanted += bytes.length;
        }
        boolean append = offset < 0 && (d.flags & Descriptor.FDFLAGS_APPEND) != 0;
        long size = d.channel.size();
        long position = offset >= 0 ? offset : append ? size : d.position;
        long growth = Math.max(0, position + wanted - size);
        long fits = wanted - (growth - d.root.quota().room(growth));
        if (wanted > 0 && fits <= 0) {
            return Errno.NOSPC;
        }
        d.root.quota().grow(Math.max(0, position + fits - size));
        long written = 0;
        for (byte[] chunk : chunks) {
            if (written >= fits) {
                break;
            }
            int n = (int) Math.min(chunk.length, fits - written);
            var buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
                written += d.channel.write(buffer, position + written);
            }
        }
        if (offset < 0) {
            d.position = position + written;
        }
        m.i32(resultPointer, (int) written);
        return Errno.SUCCESS;
    }

    static long available(Descriptor d) {
        try {
            if (d.in != null) {
                return d.in.available();
            }
            if (d.channel != null) {
                return Math.max(0, d.channel.size() - d.position);
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
