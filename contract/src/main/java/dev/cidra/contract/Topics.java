package dev.cidra.contract;

import java.util.List;
import java.util.Map;

/**
 * The Kafka topics and record headers the Cidra services share; every service names them through this class only.
 * Services create the topics they use when missing.
 */
public final class Topics {
    /** {@link InvocationRequest}s as JSON, keyed by the entry module's CID so that one module's calls share a node. */
    public static final String INVOCATIONS = "cidra.invocations";

    /**
     * {@link JobRequest}s as JSON, keyed by the entry module's CID. The gateway writes a job and its queued event in one
     * transaction: read with {@code isolation.level=read_committed}, or an aborted submission would run.
     */
    public static final String JOBS = "cidra.jobs";

    /**
     * {@link JobRequest}s as JSON, keyed by job id, each for one executor only: the one its {@link #NODE_ID} header
     * names. Every executor reads every partition in a consumer group of its own ({@code <group-id>-pinned-<node
     * id>}) and runs only the records addressed to it, so the gateway places the executions of a re-execution check
     * ({@code Count} above 1) on distinct executors of its choice. Written by the gateway in the transaction of the
     * job's queued event: read with {@code isolation.level=read_committed}.
     */
    public static final String PINNED_JOBS = "cidra.jobs.pinned";

    /** {@link InvocationReply}s as JSON, keyed by job id, for requests without a {@code replyTo} topic of their own. */
    public static final String REPLIES = "cidra.replies";

    /**
     * {@link JobEvent}s as JSON, keyed by job id; compacted, so the latest event of every job survives. Terminal events
     * are written in transactions: read with {@code isolation.level=read_committed}.
     */
    public static final String JOB_EVENTS = "cidra.job-events";

    /**
     * Requests that can never run (unreadable or invalid), copied byte for byte with {@link #DEAD_LETTER_REASON} and
     * {@link #DEAD_LETTER_ORIGIN} headers.
     */
    public static final String DEAD_LETTER = "cidra.dead-letter";

    /**
     * Job specs submitted by any Kafka client, as JSON: exactly the body {@code POST /v1/jobs} accepts, or a CloudEvents
     * 1.0 structured-mode JSON envelope ({@code specversion}, {@code type}, {@code source}, {@code id},
     * {@code datacontenttype} absent or {@code application/json}) whose {@code data} is that body. The gateway (group
     * {@code cidra-gateway-submissions}) validates each and publishes the job exactly as if it had been submitted over
     * HTTP, committing the record's offset in the same transaction; an invalid one goes to {@link #DEAD_LETTER} with the
     * detail the HTTP 400 would have. The jobs belong to the tenant the gateway's
     * {@code cidra.auth.kafka-submission-tenant} names: whoever Kafka's ACLs let write this topic acts for it. The job
     * id is {@code j-} and the name-based (version 3) UUID of the UTF-8 bytes of {@code <tenant>/<topic>/id/<id>}, where
     * the id is the {@link #JOB_ID} header or else the envelope's {@code id}; without either, of
     * {@code <tenant>/<topic>/record/<partition>@<offset>}: ids are scoped per tenant. A record whose id names a job
     * already known goes to {@link #DEAD_LETTER} with a reason naming that job. Produce records with the same id under
     * the same key (so to the same partition) for the duplicate to be caught for sure; see the gateway's
     * {@code SubmissionConsumer}.
     */
    public static final String JOB_SUBMISSIONS = "cidra.job-submissions";

    /**
     * {@link Trigger}s as JSON, keyed by name; compacted, so the latest definition of every trigger survives, and a
     * tombstone (null value) deletes one. The gateway writes it; every executor reads all of it and runs the triggers
     * it holds.
     */
    public static final String TRIGGERS = "cidra.triggers";

    /**
     * {@link NodeInfo}s as JSON, keyed by node id; compacted, so the latest announcement of every executor survives, and
     * a tombstone (null value) is an executor's goodbye. Every executor announces itself here at start and then every
     * {@link NodeInfo#heartbeatIntervalMillis()}; readers treat a node whose last announcement is older than three
     * intervals as gone (it was killed without its goodbye).
     */
    public static final String NODES = "cidra.nodes";

    /**
     * {@link JobCancellation}s as JSON, keyed by job id; compacted, so every cancellation survives. The gateway writes
     * it; every executor reads all of it, from the beginning, before it runs a job.
     */
    public static final String JOB_CANCELLATIONS = "cidra.job-cancellations";

    /**
     * Header (UTF-8) on a {@link #JOB_SUBMISSIONS} record: the submitter's id for the job; a second submission with the
     * same id makes no second job.
     */
    public static final String JOB_ID = "cidra-job-id";

    /** Header (UTF-8) on a {@link #PINNED_JOBS} record: the id of the only executor node that runs it. */
    public static final String NODE_ID = "cidra-node-id";

    /** Header (UTF-8) on a request and copied onto its reply: the caller's id for matching replies to calls. */
    public static final String CORRELATION_ID = "cidra-correlation-id";

    /** Header (UTF-8) on a dead letter: why the request can never run. */
    public static final String DEAD_LETTER_REASON = "cidra-dead-letter-reason";

    /** Header (UTF-8) on a dead letter: where the request was read, as {@code topic-partition@offset}. */
    public static final String DEAD_LETTER_ORIGIN = "cidra-dead-letter-origin";

    private Topics() {}

    /** Every topic above, in a stable order. */
    public static List<String> all() {
        return List.of(
                INVOCATIONS,
                JOBS,
                PINNED_JOBS,
                REPLIES,
                JOB_EVENTS,
                DEAD_LETTER,
                JOB_SUBMISSIONS,
                TRIGGERS,
                NODES,
                JOB_CANCELLATIONS);
    }

    /**
     * The largest record {@link #REPLIES} takes (its {@code max.message.bytes}) and every Cidra producer sends (its
     * {@code max.request.size}): a reply carrying the executor's default caps of stdout and of stderr (1 MiB each,
     * base64 in JSON: 2.8 MB) fits with room to spare. Kafka's default, 1 MiB, does not.
     */
    public static final int MAX_REPLY_BYTES = 4_194_304;

    /** Topic-level configuration a topic is created with; empty means the broker's defaults. */
    public static Map<String, String> configOf(String topic) {
        if (JOB_EVENTS.equals(topic)
                || TRIGGERS.equals(topic)
                || NODES.equals(topic)
                || JOB_CANCELLATIONS.equals(topic)) {
            return Map.of("cleanup.policy", "compact");
        }
        return REPLIES.equals(topic) ? Map.of("max.message.bytes", Integer.toString(MAX_REPLY_BYTES)) : Map.of();
    }

    /**
     * Checks a topic name against Kafka's rules (1-249 characters of {@code [A-Za-z0-9._-]}, not {@code .} or
     * {@code ..}).
     *
     * @throws IllegalArgumentException naming the topic and the rule it breaks
     */
    public static String requireValidName(String topic, String what) {
        if (topic == null || topic.isEmpty() || topic.length() > 249) {
            throw new IllegalArgumentException(what + " must be a Kafka topic name of 1 to 249 characters, not "
                    + (topic == null ? "null" : "\"" + topic + "\" (" + topic.length() + " characters)"));
        }
        if (topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(what + " must not be \"" + topic + "\"");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                throw new IllegalArgumentException(what + " \"" + topic + "\" has '" + c + "' at index " + i
                        + "; only [A-Za-z0-9._-] are allowed");
            }
        }
        return topic;
    }
}
