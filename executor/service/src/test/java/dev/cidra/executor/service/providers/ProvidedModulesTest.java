package dev.cidra.executor.service.providers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.ProvidedSet;
import dev.cidra.contract.Topics;
import dev.cidra.registry.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidedModulesTest {
    private static final long MAX = 1 << 20;
    private static final byte[] ONE = "module one".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = "module two".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aNodeWithoutADirectoryServesTheSharedTopics() {
        var provided = new ProvidedModules(Optional.empty(), Optional.empty(), MAX);
        assertEquals(Optional.empty(), provided.set());
        assertEquals(List.of(), provided.cids());
        assertEquals(Topics.INVOCATIONS, provided.invocationsTopic());
        assertEquals(Topics.JOBS, provided.jobsTopic());
        assertEquals("cidra-executor", provided.groupId("cidra-executor"));
        assertEquals(List.of(), provided.ownTopics());
        assertTrue(provided.store().isEmpty());
    }

    @Test
    void everyVerifiedFileOfTheDirectoryIsProvidedAndServedFromIt() throws IOException {
        Cid one = Cid.rawOf(ONE);
        Cid two = Cid.rawOf(TWO);
        Files.write(dir.resolve(one.toString()), ONE);
        Files.write(dir.resolve(two + ".wasm"), TWO);

        var provided = new ProvidedModules(Optional.of(dir), Optional.empty(), MAX);

        var set = new ProvidedSet(List.of(one.toString(), two.toString()));
        assertEquals(Optional.of(set), provided.set());
        assertEquals(set.invocationsTopic(), provided.invocationsTopic());
        assertEquals(set.jobsTopic(), provided.jobsTopic());
        assertEquals("cidra-executor-provided-" + set.id(), provided.groupId("cidra-executor"));
        assertEquals(List.of(set.invocationsTopic(), set.jobsTopic()), provided.ownTopics());
        assertArrayEquals(TWO, provided.store().orElseThrow().fetch(two, MAX).orElseThrow());
    }

    @Test
    void aListServesOnlyTheModulesItNames() throws IOException {
        Cid one = Cid.rawOf(ONE);
        Cid two = Cid.rawOf(TWO);
        Files.write(dir.resolve(one.toString()), ONE);
        Files.write(dir.resolve(two.toString()), TWO);

        var provided = new ProvidedModules(Optional.of(dir), Optional.of(List.of(two.toString())), MAX);

        assertEquals(List.of(two.toString()), provided.cids());
        var store = provided.store().orElseThrow();
        assertTrue(store.fetch(two, MAX).isPresent());
        assertFalse(store.fetch(one, MAX).isPresent(), "a module of the directory the list leaves out");
    }

    @Test
    void aFileWhoseBytesAreNotItsCidStopsTheNodeNamingTheFile() throws IOException {
        Path file = Files.write(dir.resolve(Cid.rawOf(ONE) + ".wasm"), TWO);

        var e = assertThrows(
                IllegalStateException.class, () -> new ProvidedModules(Optional.of(dir), Optional.empty(), MAX));

        assertTrue(
                e.getMessage().startsWith("cidra.executor.provides-dir: " + file + " is not the module its name says"),
                e.getMessage());
        assertTrue(e.getMessage().contains("hash to " + Cid.rawOf(TWO)), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aFileNotNamedByACidStopsTheNode() throws IOException {
        Path file = Files.write(dir.resolve("lib.wasm"), ONE);

        var e = assertThrows(
                IllegalStateException.class, () -> new ProvidedModules(Optional.of(dir), Optional.empty(), MAX));

        assertTrue(
                e.getMessage()
                        .startsWith("cidra.executor.provides-dir: " + file
                                + " is not named by the CID of its bytes (<cid> or <cid>.wasm)"),
                e.getMessage());
    }

    @Test
    void aListedCidWithoutItsFileOrAListWithoutADirectoryStopsTheNode() throws IOException {
        Cid one = Cid.rawOf(ONE);
        Files.write(dir.resolve(one.toString()), ONE);
        String missing = Cid.rawOf(TWO).toString();

        var e = assertThrows(
                IllegalStateException.class,
                () -> new ProvidedModules(Optional.of(dir), Optional.of(List.of(missing)), MAX));
        assertEquals(
                "cidra.executor.provides lists " + missing + " but " + dir + " holds no file " + missing + " or "
                        + missing + ".wasm",
                e.getMessage());

        e = assertThrows(
                IllegalStateException.class,
                () -> new ProvidedModules(Optional.empty(), Optional.of(List.of(missing)), MAX));
        assertTrue(e.getMessage().contains("cidra.executor.provides-dir"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryStopsTheNode() {
        var e = assertThrows(
                IllegalStateException.class, () -> new ProvidedModules(Optional.of(dir), Optional.empty(), MAX));
        assertEquals(
                "cidra.executor.provides-dir " + dir + " holds no module: a provider needs at least one",
                e.getMessage());
    }
}
