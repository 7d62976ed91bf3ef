package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeInfoTest {
    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

    private static NodeInfo node(Instant heartbeatAt, long intervalMillis) {
        return new NodeInfo(
                "node-1",
                "0.1.0",
                "GraalVM CE",
                "COMPILED",
                Map.of("zone", "a"),
                List.of("bafk1"),
                null,
                2,
                0,
                T0,
                heartbeatAt,
                intervalMillis,
                null,
                null);
    }

    @Test
    void aNodeIsGoneAfterThreeMissedHeartbeats() {
        var node = node(T0, 2_000);
        assertFalse(node.staleAt(T0.plusMillis(6_000)), "exactly three intervals: not yet gone");
        assertTrue(node.staleAt(T0.plusMillis(6_001)));
        assertEquals(List.of(), node.providedModules());
    }

    @Test
    void refusesWhatNoExecutorWouldAnnounce() {
        var e = assertThrows(IllegalArgumentException.class, () -> node(T0, 0));
        assertTrue(e.getMessage().contains("heartbeatIntervalMillis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> node(null, 1_000));
        assertEquals("heartbeatAt must be set", e.getMessage());
    }
}
