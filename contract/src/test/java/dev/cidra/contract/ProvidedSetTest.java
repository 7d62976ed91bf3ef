package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProvidedSetTest {
    @Test
    void theSameModulesInAnyOrderNameTheSameTopics() {
        var one = new ProvidedSet(List.of("bafkb", "bafka", "bafkb"));
        var other = new ProvidedSet(List.of("bafka", "bafkb"));
        assertEquals(List.of("bafka", "bafkb"), one.cids());
        assertEquals(other.id(), one.id());
        assertEquals(32, one.id().length());
        assertEquals("cidra.invocations.provided." + one.id(), one.invocationsTopic());
        assertEquals("cidra.jobs.provided." + one.id(), one.jobsTopic());
        Topics.requireValidName(one.invocationsTopic(), "topic");
        assertNotEquals(one.id(), new ProvidedSet(List.of("bafka")).id());
    }

    @Test
    void containsAllOfWhatACallNeeds() {
        var set = new ProvidedSet(List.of("bafka", "bafkb"));
        assertTrue(set.containsAll(List.of("bafkb")));
        assertFalse(set.containsAll(List.of("bafkb", "bafkc")));
    }

    @Test
    void refusesAnEmptySetOrABlankCid() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ProvidedSet(List.of()));
        assertEquals("a provided set needs at least one module", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProvidedSet(List.of(" ")));
    }
}
