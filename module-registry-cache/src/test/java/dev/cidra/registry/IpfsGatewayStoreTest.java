package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.testing.TestContent;
import dev.cidra.registry.testing.TrustlessGatewayServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpfsGatewayStoreTest {
    /** Three 256 KiB chunks: a root with three leaves. */
    private static final int MULTI_CHUNK = 600 * 1024;

    private TrustlessGatewayServer gateway;
    private HttpClient client;
    private ContentStore store;

    @BeforeEach
    void start() throws IOException {
        gateway = TrustlessGatewayServer.start();
        client = HttpClient.newHttpClient();
        store = ContentStore.ipfsGateway(gateway.uri(), client);
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
    }

    @ParameterizedTest(name = "CIDv{0}")
    @ValueSource(ints = {0, 1})
    void reassemblesAMultiChunkFileFromSeparatelyFetchedBlocks(int cidVersion) {
        byte[] content = TestContent.random(MULTI_CHUNK, 5);
        Cid root = gateway.add(content, cidVersion);

        assertArrayEquals(content, store.fetch(root, MULTI_CHUNK).orElseThrow());
        List<Cid> requested = gateway.requested();
        assertEquals(4, requested.size(), "root and three leaves: " + requested);
        assertEquals(new HashSet<>(gateway.blocks()), new HashSet<>(requested));
    }

    @Test
    void servesASingleRawBlockFile() {
        byte[] content = TestContent.random(1000, 6);
        Cid root = gateway.add(content, 1);

        assertEquals(Cid.Codec.RAW, root.codec());
        assertArrayEquals(content, store.fetch(root, 1000).orElseThrow());
    }

    @Test
    void rootTheGatewayDoesNotHaveIsEmpty() {
        assertEquals(Optional.empty(), store.fetch(Cid.rawOf(new byte[] {1, 2, 3}), 1 << 20));
    }

    @ParameterizedTest(name = "CIDv{0}")
    @ValueSource(ints = {0, 1})
    void tamperedBlockIsAMismatchNamingTheBlockAndTheGateway(int cidVersion) {
        byte[] content = TestContent.random(MULTI_CHUNK, 7);
        Cid root = gateway.add(content, cidVersion);
        Cid leaf = leafOf(root);
        byte[] tampered = gateway.block(leaf).orElseThrow();
        tampered[tampered.length / 2] ^= 1;
        gateway.serve(leaf, tampered);

        var e = assertThrows(ContentMismatchException.class, () -> store.fetch(root, MULTI_CHUNK));
        assertTrue(e.getMessage().contains(leaf.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(gateway.uri().toString()), e.getMessage());
    }

    @Test
    void missingInnerBlockIsAnErrorNotAbsence() {
        byte[] content = TestContent.random(MULTI_CHUNK, 8);
        Cid root = gateway.add(content, 1);
        Cid leaf = leafOf(root);
        gateway.remove(leaf);

        var e = assertThrows(RegistryException.class, () -> store.fetch(root, MULTI_CHUNK));
        assertFalse(e instanceof ModuleNotFoundException, e.toString());
        assertTrue(e.getMessage().contains(leaf.toString()), e.getMessage());
    }

    @ParameterizedTest(name = "CIDv{0}")
    @ValueSource(ints = {0, 1})
    void fileOverTheLimitFailsAfterTheRootBlock(int cidVersion) {
        byte[] content = TestContent.random(MULTI_CHUNK, 9);
        Cid root = gateway.add(content, cidVersion);

        var e = assertThrows(ModuleTooLargeException.class, () -> store.fetch(root, 100_000));
        assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
        assertEquals(List.of(root), gateway.requested());
    }

    @Test
    void rawRootOverTheLimitIsTooLarge() {
        byte[] content = TestContent.random(50_000, 10);
        Cid root = gateway.add(content, 1);

        var e = assertThrows(ModuleTooLargeException.class, () -> store.fetch(root, 10_000));
        assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(" 10000 bytes"), e.getMessage());
    }

    @Test
    void rejectsGatewaysThatAreNotHttpBaseUris() {
        assertThrows(
                IllegalArgumentException.class, () -> ContentStore.ipfsGateway(URI.create("ftp://127.0.0.1/"), client));
        assertThrows(
                IllegalArgumentException.class,
                () -> ContentStore.ipfsGateway(URI.create("http://127.0.0.1/?x=1"), client));
    }

    @Test
    void describesItselfByTheBlockUriTemplate() {
        assertEquals(gateway.uri() + "/ipfs/{cid}", store.describe());
        assertEquals(
                gateway.uri() + "/ipfs/{cid}",
                ContentStore.ipfsGateway(URI.create(gateway.uri() + "/"), client)
                        .describe());
    }

    /** Some block of the DAG other than the root. */
    private Cid leafOf(Cid root) {
        return gateway.blocks().stream()
                .filter(block -> !block.equals(root))
                .findFirst()
                .orElseThrow();
    }
}
