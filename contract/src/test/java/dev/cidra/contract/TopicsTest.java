package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void everyTopicIsCreatedOnceUnderAValidName() {
        assertTrue(Topics.all().contains(Topics.JOB_SUBMISSIONS), Topics.all().toString());
        assertEquals(
                Topics.all().size(),
                new HashSet<>(Topics.all()).size(),
                Topics.all().toString());
        Topics.all().forEach(topic -> assertEquals(topic, Topics.requireValidName(topic, "topic")));
        assertEquals(java.util.Map.of(), Topics.configOf(Topics.JOB_SUBMISSIONS));
    }
}
