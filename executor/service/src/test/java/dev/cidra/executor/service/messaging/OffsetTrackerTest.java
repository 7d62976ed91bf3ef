package dev.cidra.executor.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetTracker offsets = new OffsetTracker();

    @Test
    void aCommitNeverPassesARecordStillInFlight() {
        for (long offset = 10; offset < 14; offset++) {
            offsets.started(P0, offset);
        }
        offsets.finished(P0, 11);
        offsets.finished(P0, 13);
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), offsets.committable());

        offsets.finished(P0, 10);
        assertEquals(Map.of(P0, new OffsetAndMetadata(12)), offsets.committable());
        assertEquals(Map.of(), offsets.committable(), "nothing moved since");

        offsets.finished(P0, 12);
        assertEquals(Map.of(P0, new OffsetAndMetadata(14)), offsets.committable());
        assertEquals(0, offsets.inFlight());
        assertEquals(0, offsets.running());
    }

    @Test
    void partitionsAreTrackedApart() {
        offsets.started(P0, 5);
        offsets.started(P1, 7);
        offsets.finished(P1, 7);

        assertEquals(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(8)), offsets.committable());
    }

    @Test
    void aFailedRecordHoldsItsPartitionBackUntilItIsForgotten() {
        offsets.started(P0, 20);
        offsets.started(P0, 21);
        offsets.started(P0, 22);
        offsets.finished(P0, 20);
        offsets.failed(P0, 21);
        offsets.finished(P0, 22);

        assertEquals(0, offsets.running());
        assertEquals(1, offsets.inFlight());
        assertEquals(Map.of(P0, 21L), offsets.failed());
        assertEquals(Map.of(P0, new OffsetAndMetadata(21)), offsets.committable());

        offsets.forget(List.of(P0));
        assertEquals(Map.of(), offsets.failed());
        assertEquals(0, offsets.inFlight());
        offsets.started(P0, 21);
        offsets.finished(P0, 21);
        assertEquals(Map.of(P0, new OffsetAndMetadata(22)), offsets.committable());
    }
}
