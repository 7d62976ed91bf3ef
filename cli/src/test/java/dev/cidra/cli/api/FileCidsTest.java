package dev.cidra.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cidra.registry.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's CID is remembered only while the file is provably the one hashed. The clock is moved instead of waiting for
 * a file to settle.
 */
class FileCidsTest {
    /** A clock past {@link FileCids#SETTLED} of every file a test writes. */
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), FileCids.SETTLED.multipliedBy(5));

    @TempDir
    Path dir;

    private FileCids cids(Clock clock) {
        return new FileCids(dir.resolve("home/module-cids.tsv"), clock);
    }

    /** Hashes {@code file} as a command does: stamp, read, remember. */
    private static Cid hash(FileCids cids, Path file) throws IOException {
        FileCids.Stamp before = cids.stamp(file).orElseThrow();
        Cid cid = Cid.rawOf(Files.readAllBytes(file));
        cids.remember(file, before, cid);
        return cid;
    }

    /** What a command finds for {@code file}: its stamp taken now, looked up. */
    private static Optional<Cid> known(FileCids cids, Path file) {
        return cids.stamp(file).flatMap(cids::known);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void anUnchangedFileIsKnownByTheCidOfItsBytes() throws IOException {
        FileCids cids = cids(LATER);
        Path file = file("module.wasm", "first content");
        Cid cid = hash(cids, file);
        assertEquals(Optional.of(cid), known(cids, file));
        assertEquals(Optional.of(cid), known(cids(LATER), file), "another command reads the same store");
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndModificationTimeIsNotKnown() throws IOException {
        FileCids cids = cids(LATER);
        Path file = file("module.wasm", "first content");
        FileTime modified = Files.getLastModifiedTime(file);
        String before = cids.stamp(file).orElseThrow().key();
        hash(cids, file);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do { // until the file system's clock ticks: only its change time tells the two contents apart
            if (System.nanoTime() > deadline) {
                fail("the file's change time never moved");
            }
            Files.writeString(file, "other content", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, modified);
        } while (cids.stamp(file).orElseThrow().key().equals(before));
        assertEquals(Optional.empty(), known(cids, file));
        assertNotEquals(Cid.rawOf("first content".getBytes(StandardCharsets.UTF_8)), hash(cids, file));
    }

    @Test
    void aFileChangedWithinTheSettlingTimeIsNotRemembered() throws IOException {
        FileCids cids = cids(Clock.systemUTC());
        Path file = file("module.wasm", "just written");
        hash(cids, file);
        assertEquals(Optional.empty(), known(cids, file));
    }

    @Test
    void aFileChangedWhileItWasReadIsNotRemembered() throws IOException {
        FileCids cids = cids(LATER);
        Path file = file("module.wasm", "first content");
        FileCids.Stamp before = cids.stamp(file).orElseThrow();
        Cid cid = Cid.rawOf(Files.readAllBytes(file));
        Files.writeString(file, "first content, and more", StandardCharsets.UTF_8);
        cids.remember(file, before, cid);
        assertEquals(Optional.empty(), known(cids, file));
    }

    @Test
    void theNewestEntriesAreKept() throws IOException {
        FileCids cids = cids(LATER);
        Path first = file("module-0.wasm", "module 0");
        hash(cids, first);
        Path last = first;
        for (int i = 1; i <= FileCids.MAX_ENTRIES; i++) {
            last = file("module-" + i + ".wasm", "module " + i);
            hash(cids, last);
        }
        assertEquals(Optional.empty(), known(cids, first));
        assertTrue(known(cids, last).isPresent());
        assertEquals(
                FileCids.MAX_ENTRIES,
                Files.readAllLines(dir.resolve("home/module-cids.tsv")).size());
    }

    @Test
    void anUnreadableStoreIsStartedAgain() throws IOException {
        FileCids cids = cids(LATER);
        Files.createDirectories(dir.resolve("home"));
        Files.write(dir.resolve("home/module-cids.tsv"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n', 0});
        Path file = file("module.wasm", "content");
        assertEquals(Optional.empty(), known(cids, file));
        Cid cid = hash(cids, file);
        assertEquals(Optional.of(cid), known(cids, file));
    }
}
