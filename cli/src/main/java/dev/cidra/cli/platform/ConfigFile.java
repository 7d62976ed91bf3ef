package dev.cidra.cli.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Configuration files in the {@link java.util.Properties} format, written plainly ({@code key=value}, one a line) so
 * that people can read them. Only entries that need no escaping are accepted.
 */
final class ConfigFile {
    private ConfigFile() {}

    /**
     * The file's text: {@code comment} as a comment line, then the entries in order.
     *
     * @throws IllegalArgumentException if a key or value would need escaping (the message names the key)
     */
    static String render(String comment, Map<String, String> entries) {
        var text = new StringBuilder("# ").append(comment).append('\n');
        entries.forEach((key, value) -> {
            if (key.isEmpty() || !key.chars().allMatch(c -> c > ' ' && c < 0x7f && "=:#!\\".indexOf(c) < 0)) {
                throw new IllegalArgumentException("configuration key '" + key + "' would need escaping");
            }
            if (value.chars().anyMatch(c -> c == '\\' || c == '\n' || c == '\r')
                    || (!value.isEmpty() && Character.isWhitespace(value.charAt(0)))) {
                throw new IllegalArgumentException("the value of " + key
                        + " would need escaping (a backslash, a line break or a leading space): " + value);
            }
            text.append(key).append('=').append(value).append('\n');
        });
        return text.toString();
    }

    /**
     * Writes {@link #render rendered} entries to {@code file}, readable by its owner only (a broker's configuration may
     * hold credentials), replacing it atomically: a reader sees the old file or the new one, never a part.
     */
    static void write(Path file, String comment, Map<String, String> entries) throws IOException {
        OwnerOnlyFiles.write(file, render(comment, entries));
    }
}
