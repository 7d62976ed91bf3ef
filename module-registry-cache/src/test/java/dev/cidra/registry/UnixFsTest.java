package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnixFsTest {
    static List<UnixFsVectors.Published> published() {
        return UnixFsVectors.published();
    }

    static List<UnixFsVectors.Generated> generated() {
        return UnixFsVectors.generated();
    }

    @ParameterizedTest
    @MethodSource("published")
    void addGivesThePublishedKuboCids(UnixFsVectors.Published vector) {
        byte[] content = vector.content();
        if (vector.v0() != null) {
            assertEquals(vector.v0(), UnixFs.add(content, 0).toString());
        }
        if (vector.v1() != null) {
            assertEquals(vector.v1(), UnixFs.add(content, 1).toString());
        }
        if (vector.v1DagPbLeaves() != null) {
            FileDagBuilder.Shape dagPbLeaves = new FileDagBuilder.Shape(1, false, UnixFs.CHUNK_SIZE, UnixFs.MAX_LINKS);
            assertEquals(
                    vector.v1DagPbLeaves(),
                    FileDagBuilder.root(content, dagPbLeaves).toString());
        }
    }

    /** Covers one chunk, chunk boundaries, one full level and depth 2 at kubo's sizes, and depth 3 to 5 with 3 links. */
    @ParameterizedTest
    @MethodSource("generated")
    void buildGivesTheCidsOfTheJavaScriptImporter(UnixFsVectors.Generated vector) throws IOException {
        assertEquals(vector.v0(), build(vector, 0, false).toString());
        assertEquals(vector.v1(), build(vector, 1, true).toString());
        assertEquals(vector.v1DagPbLeaves(), build(vector, 1, false).toString());
    }

    @Test
    void addUsesKuboDefaults() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        assertEquals(vector.v0(), UnixFs.add(vector.content(), 0).toString());
        assertEquals(vector.v1(), UnixFs.add(vector.content(), 1).toString());
        byte[] content = vector.content().readAllBytes();
        assertEquals(vector.v0(), UnixFs.add(content, 0).toString());
        assertEquals(vector.v1(), UnixFs.add(content, 1).toString());
    }

    @Test
    void addDoesNotDependOnHowTheStreamSplitsReads() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        InputStream trickling = new FilterInputStream(vector.content()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        assertEquals(vector.v1(), UnixFs.add(trickling, 1).toString());
    }

    @Test
    void addEmitsEveryBlockChildrenFirstAndTheRootLast() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        List<Cid> order = new ArrayList<>();
        Map<Cid, byte[]> blocks = new HashMap<>();
        Cid root = UnixFs.add(vector.content(), 1, (cid, block) -> {
            assertTrue(cid.matches(block), () -> "block emitted under " + cid + " does not hash to it");
            order.add(cid);
            blocks.put(cid, block);
        });
        assertEquals(6, order.size(), "five raw leaves and their parent");
        assertEquals(root, order.getLast());
        assertEquals(
                5, order.stream().filter(cid -> cid.codec() == Cid.Codec.RAW).count());
        assertEquals(
                List.of(262144, 262144, 262144, 262144, 1),
                order.subList(0, 5).stream().map(cid -> blocks.get(cid).length).toList());
    }

    @Test
    void addRejectsUnknownCidVersions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnixFs.add(new byte[1], 2));
        assertEquals("cidVersion must be 0 or 1, got 2", e.getMessage());
    }

    @Test
    void aSinkFailureStopsTheImport() {
        IOException failure = new IOException("disk full");
        IOException e = assertThrows(
                IOException.class,
                () -> UnixFs.add(new ByteArrayInputStream(new byte[10]), 0, (cid, block) -> {
                    throw failure;
                }));
        assertEquals(failure, e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"one-chunk", "one-mib-plus-one", "small-links-five-levels", "two-levels"})
    void catReassemblesWhatAddBuilt(String name) throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated(name);
        byte[] expected = vector.content().readAllBytes();
        for (FileDagBuilder.Shape shape : new FileDagBuilder.Shape[] {
            new FileDagBuilder.Shape(0, false, vector.chunkSize(), vector.maxLinks()),
            new FileDagBuilder.Shape(1, true, vector.chunkSize(), vector.maxLinks())
        }) {
            Map<Cid, byte[]> blocks = new HashMap<>();
            Cid root = FileDagBuilder.build(vector.content(), shape, blocks::put);
            assertTrue(
                    MessageDigest.isEqual(expected, UnixFs.cat(root, blocks::get, expected.length)),
                    () -> name + " as " + shape + " did not reassemble");
        }
    }

    @Test
    void catReadsAPublishedSingleBlockFile() throws IOException {
        Cid mars = Cid.parse("QmPrrHqJzto9m7SyiRzarwkqPcCSsKR2EB1AyqJfe8L8tN");
        // The block kubo stores for "Hello Mars!\n": PBNode{Data: Data{Type: File, Data: content, filesize: 12}}.
        byte[] block = HexFormat.of().parseHex("0a120802120c48656c6c6f204d617273210a180c");
        assertArrayEquals("Hello Mars!\n".getBytes(StandardCharsets.UTF_8), UnixFs.cat(mars, cid -> block, 100));
    }

    @Test
    void catReadsLegacyRawTypeLeaves() throws IOException {
        // PBNode{Data: Data{Type: Raw, Data: "abc", filesize: 3}}, as kubo's trickle layout writes leaves.
        byte[] leaf = HexFormat.of().parseHex("0a0908001203616263" + "1803");
        Cid leafCid = Cid.hash(0, Cid.Codec.DAG_PB, leaf);
        byte[] parent = DagPb.fileNode(
                List.of(new DagPb.Link(leafCid, leaf.length, 3), new DagPb.Link(leafCid, leaf.length, 3)));
        Cid root = Cid.hash(1, Cid.Codec.DAG_PB, parent);
        Map<Cid, byte[]> blocks = Map.of(leafCid, leaf, root, parent);
        assertArrayEquals("abcabc".getBytes(StandardCharsets.UTF_8), UnixFs.cat(root, blocks::get, 6));
    }

    @Test
    void catRejectsATamperedBlockNamingItsCid() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        Map<Cid, byte[]> blocks = new LinkedHashMap<>();
        Cid root = UnixFs.add(vector.content(), 0, blocks::put);
        Cid third = new ArrayList<>(blocks.keySet()).get(2);
        byte[] tampered = blocks.get(third).clone();
        tampered[100] ^= 1;
        blocks.put(third, tampered);
        ContentMismatchException e =
                assertThrows(ContentMismatchException.class, () -> UnixFs.cat(root, blocks::get, Long.MAX_VALUE));
        assertTrue(
                e.getMessage().startsWith("block fetched as " + third + " (part of file " + root + ") hashes to Qm"),
                e.getMessage());
    }

    @Test
    void catEnforcesTheLimitFromTheRootBeforeFetchingChildren() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        Map<Cid, byte[]> blocks = new HashMap<>();
        Cid root = UnixFs.add(vector.content(), 1, blocks::put);
        List<Cid> fetched = new ArrayList<>();
        ModuleTooLargeException e = assertThrows(
                ModuleTooLargeException.class,
                () -> UnixFs.cat(
                        root,
                        cid -> {
                            fetched.add(cid);
                            return blocks.get(cid);
                        },
                        vector.size() - 1));
        assertEquals(List.of(root), fetched);
        assertEquals("file " + root + " has 1048577 bytes, more than the limit of 1048576 bytes", e.getMessage());
        assertEquals(vector.size(), UnixFs.cat(root, blocks::get, vector.size()).length);
    }

    @Test
    void catEnforcesTheLimitOnARawRoot() {
        Cid raw = Cid.rawOf(new byte[10]);
        ModuleTooLargeException e =
                assertThrows(ModuleTooLargeException.class, () -> UnixFs.cat(raw, cid -> new byte[10], 9));
        assertTrue(e.getMessage().contains("more than the limit of 9 bytes"), e.getMessage());
    }

    @Test
    void catRejectsADirectory() {
        // ipfs/boxo examples/gateway/car-file/main_test.go: the raw dag-pb block of a directory holding eye.png and
        // hello.txt, served for this CID.
        Cid directory = Cid.parse("bafybeidhua2wpy27vo3t7ms22ybc7m7iqkm2opiebpjmo24lvixcnvznnu");
        byte[] block = HexFormat.of()
                .parseHex("12330a24017012"
                        + "20cc595520effc28d5741f948b71ac2300ce220d6ffdc689c07f41da4516cced0512076579652e706e6718d0c810"
                        + "12330a2401551220a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447120968656c"
                        + "6c6f2e747874180c0a020801");
        RegistryException e = assertThrows(RegistryException.class, () -> UnixFs.cat(directory, cid -> block, 1000));
        assertEquals("CID " + directory + " names a directory, not a file", e.getMessage());
    }

    @Test
    void catRejectsASymlink() {
        // PBNode{Data: Data{Type: Symlink, Data: "target"}}.
        byte[] block = HexFormat.of().parseHex("0a0a0804120674617267657" + "4");
        Cid symlink = Cid.hash(1, Cid.Codec.DAG_PB, block);
        RegistryException e = assertThrows(RegistryException.class, () -> UnixFs.cat(symlink, cid -> block, 1000));
        assertEquals("CID " + symlink + " names a symlink, not a file", e.getMessage());
    }

    @Test
    void catReportsAMissingBlock() throws IOException {
        Map<Cid, byte[]> blocks = new LinkedHashMap<>();
        Cid root = UnixFs.add(UnixFsVectors.generated("one-chunk-plus-one").content(), 1, blocks::put);
        Cid second = new ArrayList<>(blocks.keySet()).get(1);
        blocks.remove(second);
        ModuleNotFoundException e =
                assertThrows(ModuleNotFoundException.class, () -> UnixFs.cat(root, blocks::get, Long.MAX_VALUE));
        assertEquals("block " + second + " of file " + root + " is not available", e.getMessage());
    }

    @Test
    void catRejectsSizesThatContradictTheChildren() {
        byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
        Cid leaf = Cid.rawOf(content);
        byte[] parent = DagPb.fileNode(List.of(new DagPb.Link(leaf, 10, 10), new DagPb.Link(leaf, 10, 9)));
        Cid root = Cid.hash(1, Cid.Codec.DAG_PB, parent);
        Map<Cid, byte[]> blocks = Map.of(leaf, content, root, parent);
        RegistryException e = assertThrows(RegistryException.class, () -> UnixFs.cat(root, blocks::get, 100));
        assertEquals(
                "file " + root + " is not a consistent UnixFS file: block " + leaf
                        + " is inconsistent because it holds 10 bytes where its parent declares 9",
                e.getMessage());
    }

    @Test
    void catRejectsABlockThatIsNotDagPb() {
        byte[] block = "not protobuf".getBytes(StandardCharsets.UTF_8);
        Cid cid = Cid.hash(1, Cid.Codec.DAG_PB, block);
        RegistryException e = assertThrows(RegistryException.class, () -> UnixFs.cat(cid, c -> block, 100));
        assertTrue(e.getMessage().startsWith("block " + cid + " is not a valid UnixFS dag-pb node: "), e.getMessage());
    }

    private static Cid build(UnixFsVectors.Generated vector, int cidVersion, boolean rawLeaves) throws IOException {
        FileDagBuilder.Shape shape =
                new FileDagBuilder.Shape(cidVersion, rawLeaves, vector.chunkSize(), vector.maxLinks());
        return FileDagBuilder.build(vector.content(), shape, (cid, block) -> {});
    }
}
