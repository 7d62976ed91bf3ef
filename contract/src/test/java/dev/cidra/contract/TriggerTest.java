package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerTest {
    private static Trigger trigger(String topic, Trigger.Output output, Map<String, String> env, String deadLetter) {
        return new Trigger(
                "words",
                "1",
                Instant.EPOCH,
                topic,
                "bafkreia",
                null,
                null,
                env,
                List.of("content-type"),
                output,
                1,
                new Trigger.Retry(3, 100),
                deadLetter,
                1 << 20,
                1000,
                null);
    }

    @Test
    void defaultsTheEntrypointAndTheDeadLetterTopic() {
        var trigger = trigger("words", new Trigger.Output("counts", null), null, null);
        assertEquals(InvocationRequest.DEFAULT_ENTRYPOINT, trigger.entrypoint());
        assertEquals(Topics.DEAD_LETTER, trigger.deadLetterTopic());
        assertEquals("cidra-trigger-words-1", trigger.groupId());
    }

    @Test
    void refusesCidraTopicsAndLoops() {
        assertEquals(
                "output.topic \"cidra.job-events\" is one of Cidra's own topics (cidra.*); a trigger may not use it",
                assertThrows(IllegalArgumentException.class, () -> new Trigger.Output(Topics.JOB_EVENTS, null))
                        .getMessage());
        var loop = new Trigger.Output("words", null);
        assertThrows(IllegalArgumentException.class, () -> trigger("words", loop, null, null));
        var counts = new Trigger.Output("counts", null);
        assertThrows(IllegalArgumentException.class, () -> trigger(Topics.INVOCATIONS, counts, null, null));
        assertThrows(IllegalArgumentException.class, () -> trigger("words", counts, null, "words"));
        assertThrows(IllegalArgumentException.class, () -> trigger("words", counts, null, Topics.JOBS));
    }

    @Test
    void refusesReservedEnvNamesAndTwoOutputs() {
        var counts = new Trigger.Output("counts", null);
        assertEquals(
                "env name \"CIDRA_KEY\" is reserved: names starting with CIDRA_ carry the record",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> trigger("words", counts, Map.of("CIDRA_KEY", "x"), null))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Trigger.Output("counts", new Publisher(Publisher.LOCAL, null)));
        assertThrows(IllegalArgumentException.class, () -> new Trigger.Output(null, null));
    }

    @Test
    void refusesKafkasInternalTopicsDotNamesAndPublishersWithoutAKeyOfTheirOwn() {
        assertThrows(IllegalArgumentException.class, () -> new Trigger.Output("__consumer_offsets", null));
        var counts = new Trigger.Output("counts", null);
        assertThrows(IllegalArgumentException.class, () -> trigger("__transaction_state", counts, null, null));
        assertThrows(IllegalArgumentException.class, () -> trigger("words", counts, null, "__consumer_offsets"));
        assertThrows(
                IllegalArgumentException.class, () -> new Trigger.Output(null, new Publisher(Publisher.LOCAL, null)));
        for (String key : List.of("all/one", "by-node/{nodeID}/{jobID}")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new Trigger.Output(null, new Publisher(Publisher.S3, Map.of("Bucket", "b", "Key", key))),
                    key);
        }
        new Trigger.Output(null, new Publisher(Publisher.S3, Map.of("Bucket", "b", "Key", "t/{executionID}")));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        var retry = new Trigger.Retry(10, 100);
        assertEquals(
                List.of(100L, 200L, 400L, 3200L, 3200L),
                List.of(
                        retry.backoffAfter(1),
                        retry.backoffAfter(2),
                        retry.backoffAfter(3),
                        retry.backoffAfter(6),
                        retry.backoffAfter(9)));
        assertEquals(0, new Trigger.Retry(3, 0).backoffAfter(2));
        assertThrows(IllegalArgumentException.class, () -> new Trigger.Retry(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Trigger.Retry(3, Trigger.MAX_BACKOFF_MILLIS + 1));
    }

    @Test
    void headerNamesBecomeEnvironmentNames() {
        assertEquals("CIDRA_HEADER_CONTENT_TYPE", Trigger.headerEnvName("content-type"));
        assertEquals("CIDRA_HEADER_X_TRACE_ID2", Trigger.headerEnvName("x.trace.id2"));
    }
}
