package dev.cidra.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Shows how far a long read has got, on stderr, when stderr is a terminal and the input is large enough to take a
 * noticeable time; otherwise it passes the stream through untouched.
 */
public final class Progress extends FilterInputStream {
    private static final long SHOW_ABOVE_BYTES = 32L << 20;

    private final long total;
    private final String label;
    private final PrintStream out = System.err;
    private long read;
    private long lastShownMiB = -1;

    private Progress(InputStream in, long total, String label) {
        super(in);
        this.total = total;
        this.label = label;
    }

    /** {@code in}, shown as it is read when it holds more than 32 MiB ({@code total}) and stderr is a terminal. */
    public static InputStream wrap(InputStream in, long total, String label) {
        return total > SHOW_ABOVE_BYTES && onTerminal() ? new Progress(in, total, label) : in;
    }

    /** Whether this process talks to a terminal, so a line may be redrawn in place ({@code \r}). */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        read += n;
        long mib = read >> 20;
        if (mib != lastShownMiB) {
            lastShownMiB = mib;
            out.printf("\r%s: %d / %d MiB (%d%%)", label, mib, total >> 20, read * 100 / total);
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        out.print("\r\033[K");
        out.flush();
    }
}
