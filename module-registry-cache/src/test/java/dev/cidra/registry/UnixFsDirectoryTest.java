package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UnixFsDirectoryTest {
    private static final UnixFs.BlockSink DISCARD = (cid, block) -> {};

    static List<UnixFsVectors.Directory> directories() {
        return UnixFsVectors.directories();
    }

    @ParameterizedTest
    @MethodSource("directories")
    void addDirectoryGivesTheCidsOfIpfsAddRecursive(UnixFsVectors.Directory vector) throws IOException {
        assertEquals(
                vector.v0(), UnixFs.addDirectory(vector.entries(), 0, DISCARD).toString());
        assertEquals(
                vector.v1(), UnixFs.addDirectory(vector.entries(), 1, DISCARD).toString());
    }

    @ParameterizedTest
    @MethodSource("directories")
    void aDirectoryOnDiskHasTheCidOfItsEntries(UnixFsVectors.Directory vector, @TempDir Path dir) throws IOException {
        for (UnixFs.TreeEntry entry : vector.entries()) {
            Path path = dir.resolve(entry.path());
            if (entry.directory()) {
                Files.createDirectories(path);
            } else {
                Files.createDirectories(path.getParent());
                try (InputStream in = entry.content().open()) {
                    Files.copy(in, path);
                }
            }
        }
        assertEquals(vector.v1(), UnixFs.addDirectory(dir, 1, DISCARD).toString());
    }

    @Test
    void everyBlockIsEmittedUnderItsCidChildrenFirst() throws IOException {
        UnixFsVectors.Directory result = UnixFsVectors.directories().stream()
                .filter(d -> d.name().equals("result"))
                .findFirst()
                .orElseThrow();
        Map<Cid, byte[]> blocks = new HashMap<>();
        List<Cid> order = new ArrayList<>();
        Cid root = UnixFs.addDirectory(result.entries(), 1, (cid, block) -> {
            assertEquals(cid, Cid.hash(cid.version(), cid.codec(), block));
            blocks.put(cid, block);
            order.add(cid);
        });
        assertEquals(root, order.getLast());
        assertEquals(DagPb.TYPE_DIRECTORY, DagPb.decode(root, blocks.get(root)).type());
        for (Cid link : DagPb.decode(root, blocks.get(root)).links()) {
            assertTrue(order.indexOf(link) < order.indexOf(root), link + " after the root");
        }
    }

    @ParameterizedTest
    @MethodSource("directories")
    void getReadsBackEveryDirectoryAndFileOfATree(UnixFsVectors.Directory vector) throws IOException {
        for (int version : new int[] {0, 1}) {
            var blocks = new HashMap<Cid, byte[]>();
            Cid root = UnixFs.addDirectory(vector.entries(), version, blocks::put);

            var expected = new HashMap<String, String>();
            for (UnixFs.TreeEntry entry : vector.entries()) {
                for (String parent = entry.path(); parent.contains("/"); ) {
                    parent = parent.substring(0, parent.lastIndexOf('/'));
                    expected.put(parent, null);
                }
                expected.put(entry.path(), text(entry));
            }
            var read = new HashMap<String, String>();
            for (UnixFs.TreeEntry entry : UnixFs.get(root, blocks::get, Long.MAX_VALUE)) {
                read.put(entry.path(), text(entry));
            }
            assertEquals(expected, read, "CIDv" + version);
        }
    }

    @Test
    void getOfAFileIsOneEntryOfEmptyPathAndTheLimitBoundsTheWholeTree() throws IOException {
        var blocks = new HashMap<Cid, byte[]>();
        byte[] content = "one file\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Cid file = UnixFs.add(new java.io.ByteArrayInputStream(content), 0, blocks::put);
        var entries = UnixFs.get(file, blocks::get, content.length);
        assertEquals(1, entries.size());
        assertEquals("", entries.getFirst().path());
        assertEquals("one file\n", text(entries.getFirst()));

        Cid tree = UnixFs.addDirectory(
                List.of(
                        new UnixFs.TreeEntry("a", () -> new java.io.ByteArrayInputStream(content)),
                        new UnixFs.TreeEntry("b", () -> new java.io.ByteArrayInputStream(content))),
                1,
                blocks::put);
        assertThrows(ModuleTooLargeException.class, () -> UnixFs.get(tree, blocks::get, 2L * content.length - 1));
        assertEquals(2, UnixFs.get(tree, blocks::get, 2L * content.length).size());
    }

    private static String text(UnixFs.TreeEntry entry) throws IOException {
        if (entry.directory()) {
            return null;
        }
        try (InputStream in = entry.content().open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void oneChangedByteChangesTheCid() throws IOException {
        var a = List.of(new UnixFs.TreeEntry("outputs/x", () -> InputStream.nullInputStream()));
        var b = List.of(new UnixFs.TreeEntry("outputs/x", () -> new java.io.ByteArrayInputStream(new byte[1])));
        assertNotEquals(UnixFs.addDirectory(a, 1, DISCARD), UnixFs.addDirectory(b, 1, DISCARD));
    }

    @Test
    void aDirectoryKuboWouldShardIsRefusedNamingIt() {
        List<UnixFs.TreeEntry> many = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            many.add(new UnixFs.TreeEntry("outputs/file-" + i, InputStream::nullInputStream));
        }
        var e = assertThrows(RegistryException.class, () -> UnixFs.addDirectory(many, 1, DISCARD));
        assertTrue(e.getMessage().startsWith("directory \"outputs\" has 6000 entries"), e.getMessage());
    }

    @Test
    void badPathsAreRefusedNamingThem() {
        for (String path : List.of("/abs", "a//b", "a/../b", "./a")) {
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> UnixFs.addDirectory(List.of(new UnixFs.TreeEntry(path, null)), 1, DISCARD));
            assertTrue(e.getMessage().contains("\"" + path + "\""), e.getMessage());
        }
        var twice = List.of(
                new UnixFs.TreeEntry("a", InputStream::nullInputStream),
                new UnixFs.TreeEntry("a/b", InputStream::nullInputStream));
        assertThrows(IllegalArgumentException.class, () -> UnixFs.addDirectory(twice, 1, DISCARD));
    }

    @Test
    void aFileOrASymbolicLinkIsNotADirectory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        var notDir = assertThrows(IllegalArgumentException.class, () -> UnixFs.addDirectory(file, 1, DISCARD));
        assertEquals(file + " is not a directory", notDir.getMessage());
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("link"), file);
        var link = assertThrows(IllegalArgumentException.class, () -> UnixFs.addDirectory(tree, 1, DISCARD));
        assertTrue(link.getMessage().startsWith(tree.resolve("link") + " is a symbolic link"), link.getMessage());
    }
}
