package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.testing.TestContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest {
    @TempDir
    Path dir;

    private final byte[] content = TestContent.random(10_000, 1);
    private final Cid cid = Cid.rawOf(content);

    @Test
    void servesAFileNamedByTheCid() throws IOException {
        Files.write(dir.resolve(cid.toString()), content);

        assertArrayEquals(
                content, ContentStore.directory(dir).fetch(cid, 1 << 20).orElseThrow());
    }

    @Test
    void servesAFileNamedByTheCidWithWasmSuffix() throws IOException {
        Files.write(dir.resolve(cid + ".wasm"), content);

        assertArrayEquals(
                content, ContentStore.directory(dir).fetch(cid, 1 << 20).orElseThrow());
    }

    @Test
    void servesAMultiChunkFileUnderItsDagPbCid() throws IOException {
        byte[] large = TestContent.random(600 * 1024, 2);
        Cid v0 = UnixFs.add(large, 0);
        Files.write(dir.resolve(v0.toString()), large);

        assertArrayEquals(
                large, ContentStore.directory(dir).fetch(v0, large.length).orElseThrow());
    }

    @Test
    void missingFileIsEmpty() {
        assertEquals(Optional.empty(), ContentStore.directory(dir).fetch(cid, 1 << 20));
    }

    @Test
    void wrongBytesUnderTheCidAreAMismatchNamingTheFile() throws IOException {
        Path file = dir.resolve(cid.toString());
        Files.write(file, TestContent.random(10_000, 99));

        var e = assertThrows(ContentMismatchException.class, () -> ContentStore.directory(dir)
                .fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    }

    @Test
    void fileOverTheLimitIsTooLargeNamingCidAndLimit() throws IOException {
        Files.write(dir.resolve(cid.toString()), content);

        var e = assertThrows(
                ModuleTooLargeException.class, () -> ContentStore.directory(dir).fetch(cid, content.length - 1));
        assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(" " + (content.length - 1) + " bytes"), e.getMessage());
    }

    @Test
    void fileExactlyAtTheLimitIsServed() throws IOException {
        Files.write(dir.resolve(cid.toString()), content);

        assertArrayEquals(
                content, ContentStore.directory(dir).fetch(cid, content.length).orElseThrow());
    }

    @Test
    void unreadableEntryIsARegistryExceptionNamingPathAndCid() throws IOException {
        Path entry = Files.createDirectory(dir.resolve(cid.toString()));

        var e = assertThrows(
                RegistryException.class, () -> ContentStore.directory(dir).fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains(entry.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    }

    @Test
    void rejectsANegativeLimit() {
        assertThrows(IllegalArgumentException.class, () -> ContentStore.directory(dir)
                .fetch(cid, -1));
    }

    @Test
    void describesItselfByTheDirectory() {
        assertEquals(
                dir.toAbsolutePath().toString(), ContentStore.directory(dir).describe());
    }
}
