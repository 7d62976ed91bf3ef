package dev.cidra.gateway.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.NodeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeViewTest {
    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static NodeInfo node(String id, Instant at) {
        return new NodeInfo(
                id,
                "0.1.0",
                "GraalVM CE",
                "COMPILED",
                Map.of(),
                List.of("bafk1"),
                List.of(),
                2,
                1,
                T0,
                at,
                2_000,
                null,
                null);
    }

    @Test
    void aNodeThatStopsAnnouncingIsGoneAfterThreeIntervals() {
        var clock = new MovableClock();
        var view = new NodeView(clock);
        view.announced(node("b", T0));
        view.announced(node("a", T0));
        assertEquals(
                List.of("a", "b"), view.list().stream().map(NodeInfo::nodeId).toList());

        clock.now = T0.plus(Duration.ofSeconds(5));
        view.announced(node("a", clock.now));
        clock.now = T0.plus(Duration.ofSeconds(7));
        assertEquals(List.of("a"), view.list().stream().map(NodeInfo::nodeId).toList(), "b missed three heartbeats");
        var e = assertThrows(NodeNotFoundException.class, () -> view.get("b"));
        assertTrue(e.getMessage().contains("no live node b"), e.getMessage());
    }

    @Test
    void aGoodbyeRemovesANodeAndAReorderedAnnouncementChangesNothing() {
        var view = new NodeView(new MovableClock());
        view.announced(node("a", T0.plusSeconds(1)));
        view.announced(node("a", T0));
        assertEquals(T0.plusSeconds(1), view.get("a").heartbeatAt());
        view.left("a");
        assertEquals(List.of(), view.list());
    }
}
