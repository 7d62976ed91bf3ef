package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationRequestTest {
    private static final String CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    private static InvocationRequest request(String jobId, long memoryBytes, long timeoutMillis, String replyTo) {
        return new InvocationRequest(jobId, null, CID, null, null, null, null, memoryBytes, timeoutMillis, replyTo);
    }

    @Test
    void aRequestExpiresOnlyAfterItsReplyByAndNeverWithoutOne() {
        Instant replyBy = Instant.parse("2026-12-02T12:00:00Z");
        var request =
                new InvocationRequest("j", null, CID, null, null, null, null, 65_536, 1, null, null, replyBy, null);
        assertFalse(request.expiredAt(replyBy));
        assertTrue(request.expiredAt(replyBy.plusMillis(1)));
        assertFalse(request("j", 65_536, 1, null).expiredAt(Instant.MAX));
    }

    @Test
    void nullOptionalsBecomeDefaults() {
        var request = request("job-1", 1 << 20, 1000, null);
        assertEquals("_start", request.entrypoint());
        assertEquals(List.of(), request.args());
        assertEquals(Map.of(), request.env());
        assertArrayEquals(new byte[0], request.stdin());
        assertEquals("job-1", request.executionKey());
        assertEquals(Topics.REPLIES, request.replyTopic());
    }

    @Test
    void executionIdAndReplyToWinWhenGiven() {
        var request = new InvocationRequest(
                "job-1", "exec-2", CID, "run", List.of("a"), Map.of("K", "V"), null, 65_536, 1, "my.replies_1");
        assertEquals("exec-2", request.executionKey());
        assertEquals("my.replies_1", request.replyTopic());
    }

    @Test
    void aReplyPartitionIsKeptAndMustNotBeNegative() {
        var request = new InvocationRequest("j", null, CID, null, null, null, null, 65_536, 1, null, null, null, 3);
        assertEquals(3, request.replyPartition());
        assertNull(request("j", 65_536, 1, null).replyPartition(), "none: the producer picks by key");

        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, CID, null, null, null, null, 65_536, 1, null, null, null, -1));
        assertEquals("replyPartition must be at least 0, not -1", e.getMessage());
    }

    @Test
    void collectionsAreCopied() {
        var args = new ArrayList<>(List.of("a"));
        var env = new HashMap<>(Map.of("K", "V"));
        var request = new InvocationRequest("j", null, CID, null, args, env, null, 65_536, 1, null);
        args.add("b");
        env.put("L", "W");
        assertEquals(List.of("a"), request.args());
        assertEquals(Map.of("K", "V"), request.env());
    }

    @Test
    void blankIdsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> request(" ", 65_536, 1, null));
        assertEquals("jobId must be a non-blank string, not \" \"", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", "", CID, null, null, null, null, 65_536, 1, null));
        assertEquals("executionId must be a non-blank string, not \"\"", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, null, null, null, null, null, 65_536, 1, null));
        assertEquals("moduleCid must be a non-blank string, not null", e.getMessage());
    }

    @Test
    void memoryOutsideOnePageToFourGibIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> request("j", 65_535, 1, null));
        assertEquals("memoryBytes must be between 65536 and 4294967296, not 65535", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> request("j", (4L << 30) + 1, 1, null));
        assertEquals(4L << 30, request("j", 4L << 30, 1, null).memoryBytes());
    }

    @Test
    void nonPositiveTimeoutIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> request("j", 65_536, 0, null));
        assertEquals("timeoutMillis must be at least 1, not 0", e.getMessage());
    }

    @Test
    void illegalReplyTopicIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> request("j", 65_536, 1, "replies/me"));
        assertEquals("replyTo \"replies/me\" has '/' at index 7; only [A-Za-z0-9._-] are allowed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> request("j", 65_536, 1, ".."));
        assertEquals("replyTo must not be \"..\"", e.getMessage());
        char[] long250 = new char[250];
        Arrays.fill(long250, 'r');
        e = assertThrows(IllegalArgumentException.class, () -> request("j", 65_536, 1, new String(long250)));
        assertEquals(
                "replyTo must be a Kafka topic name of 1 to 249 characters, not \"" + new String(long250)
                        + "\" (250 characters)",
                e.getMessage());
    }

    @Test
    void badArgsAndEnvAreRejected() {
        var args = new ArrayList<String>();
        args.add("a");
        args.add(null);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, CID, null, args, null, null, 65_536, 1, null));
        assertEquals("args[1] is null", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, CID, null, null, Map.of("A=B", "v"), null, 65_536, 1, null));
        assertEquals("env name \"A=B\" must be non-empty without '='", e.getMessage());
        var nullValue = new HashMap<String, String>();
        nullValue.put("K", null);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, CID, null, null, nullValue, null, 65_536, 1, null));
        assertEquals("env value of \"K\" is null", e.getMessage());
    }

    @Test
    void blankEntrypointIsRejected() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationRequest("j", null, CID, "", null, null, null, 65_536, 1, null));
        assertEquals("entrypoint must be a non-blank string, not \"\"", e.getMessage());
    }
}
