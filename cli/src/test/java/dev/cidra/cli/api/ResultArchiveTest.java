package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultArchiveTest {
    @TempDir
    Path dir;

    /** A tar of regular files ({@code name -> content}) and symbolic links ({@code name -> "->target"}). */
    private static byte[] tar(boolean gzip, Map<String, String> entries) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(gzip ? new GZIPOutputStream(bytes) : bytes)) {
            for (var entry : entries.entrySet()) {
                if (entry.getValue().startsWith("->")) {
                    var link = new TarArchiveEntry(entry.getKey(), TarConstants.LF_SYMLINK);
                    link.setLinkName(entry.getValue().substring(2));
                    out.putArchiveEntry(link);
                } else {
                    byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                    var file = new TarArchiveEntry(entry.getKey(), true);
                    file.setSize(content.length);
                    out.putArchiveEntry(file);
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void filesAndInwardLinksAreUnpackedFromGzipAndPlainTars() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path out = dir.resolve("out-" + gzip);
            byte[] archive =
                    tar(gzip, Map.of("stdout", "hi\n", "outputs/a/b.txt", "deep", "outputs/link", "->a/b.txt"));

            assertEquals(2, ResultArchive.unpack(new ByteArrayInputStream(archive), out));

            assertEquals("hi\n", Files.readString(out.resolve("stdout")));
            assertEquals("deep", Files.readString(out.resolve("outputs/link")));
            assertArrayEquals(
                    "hi\n".getBytes(StandardCharsets.UTF_8),
                    ResultArchive.read(new ByteArrayInputStream(archive), Set.of("stdout"))
                            .get("stdout"));
        }
    }

    @Test
    void entriesEscapingTheDirectoryAreRefused() throws IOException {
        Map<String, String> escapes = Map.of(
                "../evil", "x",
                "outputs/../../evil", "x",
                "/etc/evil", "x",
                "up", "->..",
                "root", "->/etc",
                "sub/up", "->../../x");
        for (var escape : escapes.entrySet()) {
            Path out = dir.resolve("out-" + Integer.toHexString(escape.getKey().hashCode()));
            byte[] archive = tar(false, Map.of(escape.getKey(), escape.getValue()));

            var refused = assertThrows(
                    IllegalStateException.class,
                    () -> ResultArchive.unpack(new ByteArrayInputStream(archive), out),
                    escape.getKey());

            assertTrue(refused.getMessage().startsWith("result entry "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("; refused"), refused.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("evil")));
        assertFalse(Files.exists(dir.getParent().resolve("evil")));
    }
}
