package dev.cidra.cli.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a component's log, for the messages that say why it failed. */
final class LogTail {
    private static final int TAIL_LINES = 30;
    private static final int TAIL_BYTES = 16 << 10;

    private LogTail() {}

    /**
     * The last lines of {@code log}, introduced by its name, for error messages; a note instead if it cannot be read.
     */
    static String of(Path log) {
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long from = Math.max(0, channel.size() - TAIL_BYTES);
            var buffer = ByteBuffer.allocate((int) (channel.size() - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Fill the buffer.
            }
            List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            if (from > 0 && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // The first line is cut.
            }
            if (lines.isEmpty()) {
                return log + " is empty";
            }
            return "last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "cannot read " + log + ": " + e.getMessage();
        }
    }
}
