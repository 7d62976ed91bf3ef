package dev.cidra.gateway.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cidra.contract.JobRequest;
import dev.cidra.contract.NodeInfo;
import dev.cidra.contract.ProvidedSet;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.nodes.NodeView;
import dev.cidra.registry.Cid;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderRoutesTest {
    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

    private final NodeView nodes = new NodeView(Clock.fixed(NOW, ZoneOffset.UTC));
    private final Map<Cid, byte[]> store = new HashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final ProviderRoutes routes = new ProviderRoutes(nodes, cid -> {
        fetches.incrementAndGet();
        return Optional.ofNullable(store.get(cid));
    });

    /** The CID of a module that is only a name here: provided modules are not in the store. */
    private static final String PROVIDED = Cid.rawOf(bytes("provided")).toString();

    private static final String OTHER_PROVIDED =
            Cid.rawOf(bytes("other provided")).toString();

    @Test
    void withoutProvidersEveryCallTakesTheSharedTopicsWithoutReadingTheStore() {
        assertEquals(Topics.INVOCATIONS, routes.invocationsTopic(PROVIDED));
        assertEquals(0, fetches.get());
    }

    @Test
    void aProvidedEntryGoesToTheTopicOfTheSetThatHoldsIt() {
        announce("provider-1", true, PROVIDED, OTHER_PROVIDED);
        var set = new ProvidedSet(List.of(PROVIDED, OTHER_PROVIDED));

        assertEquals(set.invocationsTopic(), routes.invocationsTopic(PROVIDED));
        assertEquals(set.jobsTopic(), routes.jobsTopic(job(PROVIDED, null)));
    }

    @Test
    void aStoredModuleImportingAProvidedOneAtAnyDepthGoesToItsProviders() {
        announce("provider-1", true, PROVIDED);
        String middle = stored(module(PROVIDED, "wasi_snapshot_preview1", "env"));
        String entry = stored(module(middle));
        String plain = stored(module());

        assertEquals(new ProvidedSet(List.of(PROVIDED)).invocationsTopic(), routes.invocationsTopic(entry));
        assertEquals(Topics.INVOCATIONS, routes.invocationsTopic(plain));
        assertEquals(Topics.JOBS, routes.jobsTopic(job(plain, null)));
        assertEquals(
                new ProvidedSet(List.of(PROVIDED)).jobsTopic(),
                routes.jobsTopic(job(plain, Map.of("lib", PROVIDED))),
                "a job linking an import name to a provided CID");
        int fetched = fetches.get();
        routes.invocationsTopic(entry);
        assertEquals(fetched, fetches.get(), "a module's imports are read once");
    }

    @Test
    void withTwoSetsTheOneHoldingEveryNeededModuleIsChosen() {
        announce("provider-a", true, PROVIDED);
        announce("provider-b", true, PROVIDED, OTHER_PROVIDED);
        String both = stored(module(PROVIDED, OTHER_PROVIDED));

        assertEquals(
                new ProvidedSet(List.of(PROVIDED, OTHER_PROVIDED)).invocationsTopic(), routes.invocationsTopic(both));
    }

    @Test
    void whenNoLiveProviderOffersItTheCallIsRefusedNamingTheModuleTheChainAndTheLastProvider() {
        announce("provider-1", false, PROVIDED);
        String entry = stored(module(PROVIDED));

        var direct = assertThrows(NoProviderException.class, () -> routes.invocationsTopic(PROVIDED));
        assertEquals(
                "module " + PROVIDED + " is served only by provider nodes, and none is live (the last to offer it was"
                        + " node provider-1); start a provider node holding it, then call again",
                direct.getMessage());
        var imported = assertThrows(NoProviderException.class, () -> routes.invocationsTopic(entry));
        assertEquals(
                "module " + entry + " imports " + PROVIDED + " (" + entry + " -> " + PROVIDED + "), which only provider"
                        + " nodes serve, and none is live (the last to offer it was node provider-1); start a provider"
                        + " node holding it, then call again",
                imported.getMessage());
        assertThrows(NoProviderException.class, () -> routes.jobsTopic(job(entry, null)));
    }

    @Test
    void modulesOfferedOnlyByDifferentSetsAreRefused() {
        announce("provider-a", true, PROVIDED);
        announce("provider-b", true, OTHER_PROVIDED);
        String both = stored(module(PROVIDED, OTHER_PROVIDED));

        var e = assertThrows(NoProviderException.class, () -> routes.invocationsTopic(both));
        assertEquals(
                "no live provider node offers all of " + PROVIDED + ", " + OTHER_PROVIDED + ", which this call needs"
                        + " together: each is offered, but by different provider nodes",
                e.getMessage());
    }

    private void announce(String nodeId, boolean live, String... provided) {
        Instant at = live ? NOW : NOW.minusSeconds(60);
        nodes.announced(new NodeInfo(
                nodeId,
                "0.1.0",
                "GraalVM CE",
                "COMPILED",
                Map.of(),
                List.of(),
                List.of(provided),
                1,
                0,
                at,
                at,
                2_000,
                null,
                null));
    }

    private String stored(byte[] module) {
        Cid cid = Cid.rawOf(module);
        store.put(cid, module);
        return cid.toString();
    }

    private static JobRequest job(String cid, Map<String, String> imports) {
        return new JobRequest(
                "j-1", "e-1", NOW, cid, null, null, null, imports, null, null, null, 1 << 20, 1_000, 0, null, null,
                null, null, null);
    }

    /** A WebAssembly module whose only content is one function import from each of {@code importModules}. */
    private static byte[] module(String... importModules) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
        section(out, 1, new byte[] {0x01, 0x60, 0x00, 0x00}); // one type: () -> ()
        var imports = new ByteArrayOutputStream();
        leb(imports, importModules.length);
        for (String name : importModules) {
            name(imports, name);
            name(imports, "f");
            imports.writeBytes(new byte[] {0x00, 0x00}); // a function of type 0
        }
        section(out, 2, imports.toByteArray());
        return out.toByteArray();
    }

    private static void section(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        leb(out, content.length);
        out.writeBytes(content);
    }

    private static void name(ByteArrayOutputStream out, String name) {
        byte[] utf8 = bytes(name);
        leb(out, utf8.length);
        out.writeBytes(utf8);
    }

    private static void leb(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
