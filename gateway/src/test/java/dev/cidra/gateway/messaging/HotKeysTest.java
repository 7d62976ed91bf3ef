package dev.cidra.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Time is a hand-moved ticker: no sleeps. */
class HotKeysTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final HotKeys keys = new HotKeys(10, 4, now::get);

    @Test
    void aColdCidKeepsItsOwnKey() {
        for (int i = 0; i < 10; i++) {
            assertEquals("bafk", keys.keyFor("bafk"));
        }
    }

    @Test
    void aHotCidSpreadsOverMoreKeysAsItsRateGrows() {
        assertEquals(Set.of("bafk"), keysOf(10)); // 10/s: at the threshold
        assertEquals(Set.of("bafk#0", "bafk#1"), keysOf(10)); // 11..20/s: two keys
        assertEquals(Set.of("bafk#0", "bafk#1", "bafk#2"), keysOf(10)); // 21..30/s
        assertEquals(Set.of("bafk#0", "bafk#1", "bafk#2", "bafk#3"), keysOf(50)); // bounded by 4 partitions
        assertEquals("other", keys.keyFor("other"));
    }

    @Test
    void theRateDecaysOverTheNextSecondAndThenTheKeyIsTheCidAgain() {
        keysOf(30);
        advance(Duration.ofMillis(1500)); // half of the 30 requests of the last window still count
        assertEquals(15.0, keys.rateOf("bafk"), 1e-9);
        advance(Duration.ofMillis(500));
        assertEquals(0.0, keys.rateOf("bafk"), 1e-9);
        assertEquals("bafk", keys.keyFor("bafk"));
    }

    @Test
    void invalidSettingsAreRefused() {
        assertEquals(
                "cidra.invocations.hot-key-rate must be positive, not 0.0",
                assertThrows(IllegalArgumentException.class, () -> new HotKeys(0, 1, now::get))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HotKeys(1, 0, now::get));
    }

    private Set<String> keysOf(int requests) {
        var seen = new HashSet<String>();
        for (int i = 0; i < requests; i++) {
            seen.add(keys.keyFor("bafk"));
        }
        return seen;
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
