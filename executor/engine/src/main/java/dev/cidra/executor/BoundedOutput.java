package dev.cidra.executor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Keeps the first {@code cap} bytes written and forwards them to an optional sink; later bytes are counted and
 * dropped, so a flooding guest costs no memory. Writes come from the guest's thread only.
 */
final class BoundedOutput extends OutputStream {
    private final int cap;
    private final OutputStream sink;
    private byte[] kept = new byte[64];
    private int size;
    private boolean truncated;

    BoundedOutput(int cap, OutputStream sink) {
        this.cap = cap;
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int take = Math.min(len, cap - size);
        if (take < len) {
            truncated = true;
        }
        if (take <= 0) {
            return;
        }
        if (size + take > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(cap, Math.max(size + take, kept.length * 2)));
        }
        System.arraycopy(b, off, kept, size, take);
        size += take;
        if (sink != null) {
            try {
                sink.write(b, off, take);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (sink != null) {
            sink.flush();
        }
    }

    byte[] bytes() {
        return Arrays.copyOf(kept, size);
    }

    boolean truncated() {
        return truncated;
    }
}
