package dev.cidra.contract;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A binding of a Kafka topic to a function, as kept (JSON, keyed by name) on the compacted {@link Topics#TRIGGERS}: every
 * record of {@code topic} runs the module with the record's value as stdin, its key, coordinates and selected headers
 * in the environment (the {@code ENV_*} names below), and its stdout becomes a record on {@code output.topic} with the
 * same key (or a result published by {@code output.publisher}). Failures are retried {@code retry} times, then the
 * record goes to {@code deadLetterTopic}. The gateway fills every default; executors take the record as it is.
 * Immutable once built.
 *
 * @param name the trigger's name: 1-100 characters of {@code [A-Za-z0-9._-]}
 * @param id this incarnation's id (a trigger deleted and created again under the same name gets a new one): its
 *     consumer group is {@code cidra-trigger-<name>-<id>}, so a new incarnation never resumes an old one's offsets
 * @param createdAt when the gateway accepted it
 * @param topic the source topic; not one of Cidra's own ({@code cidra.*})
 * @param module the CID of the module to run, as text
 * @param entrypoint the exported function to call; null means {@link InvocationRequest#DEFAULT_ENTRYPOINT}
 * @param args guest arguments after argv[0]; null means none
 * @param env environment the guest gets besides the record's; names may not start with {@value #RESERVED_ENV_PREFIX}
 * @param headers names of record headers passed to the guest as {@value #ENV_HEADER_PREFIX}{@code <NAME>}
 *     ({@link #headerEnvName}); null means none
 * @param output where a successful run's stdout goes
 * @param concurrency how many of this trigger's records one executor runs at once, from different partitions
 *     (records of one partition run one after another, in offset order): 1-256
 * @param retry how often and how patiently a failed record is run again
 * @param deadLetterTopic where a record goes once every attempt failed; null means {@link Topics#DEAD_LETTER}; not
 *     another of Cidra's own topics, nor {@code topic}
 * @param memoryBytes the guest's memory cap, as in {@link InvocationRequest}
 * @param timeoutMillis the wall-clock cap of one attempt, positive
 * @param startOffsets per partition of {@code topic}, the offset its end was at when the trigger was created: where
 *     the trigger starts reading a partition it has committed nothing for (a partition not listed starts at its
 *     earliest record). Null means none listed
 * @param tenant the tenant it belongs to (its creator's); null for a trigger defined before tenants, which only admins
 *     see
 */
public record Trigger(
        String name,
        String id,
        Instant createdAt,
        String topic,
        String module,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        List<String> headers,
        Output output,
        int concurrency,
        Retry retry,
        String deadLetterTopic,
        long memoryBytes,
        long timeoutMillis,
        Map<Integer, Long> startOffsets,
        String tenant) {

    /** Environment names a trigger's own {@code env} may not use: the record's are set under this prefix. */
    public static final String RESERVED_ENV_PREFIX = "CIDRA_";

    /** The trigger's name. */
    public static final String ENV_TRIGGER = "CIDRA_TRIGGER";

    /** The source topic. */
    public static final String ENV_TOPIC = "CIDRA_TOPIC";

    /** The record's partition, in decimal. */
    public static final String ENV_PARTITION = "CIDRA_PARTITION";

    /** The record's offset, in decimal. */
    public static final String ENV_OFFSET = "CIDRA_OFFSET";

    /** The record's timestamp, milliseconds since the epoch, in decimal. */
    public static final String ENV_TIMESTAMP = "CIDRA_TIMESTAMP";

    /** The record's key as UTF-8 text; unset when the key is null or not valid UTF-8 (then {@link #ENV_KEY_BASE64}). */
    public static final String ENV_KEY = "CIDRA_KEY";

    /** The record's key in base64, set when it is not valid UTF-8. */
    public static final String ENV_KEY_BASE64 = "CIDRA_KEY_BASE64";

    /** Which attempt this run is, from 1. */
    public static final String ENV_ATTEMPT = "CIDRA_ATTEMPT";

    /**
     * Prefix of a selected header's variable: the value as UTF-8 text, or under the name with {@code _BASE64} appended,
     * in base64, when it is not valid UTF-8. The last header of a name counts; an absent header sets nothing.
     */
    public static final String ENV_HEADER_PREFIX = "CIDRA_HEADER_";

    /** Header on an output record and on a dead letter: the trigger's name. */
    public static final String TRIGGER_HEADER = "cidra-trigger";

    /** Header on an output record: where its input was read, {@code topic-partition@offset}. */
    public static final String SOURCE_HEADER = "cidra-source";

    /** Header on an output record and on a dead letter: how many attempts ran, in decimal. */
    public static final String ATTEMPTS_HEADER = "cidra-attempts";

    /** The most attempts a trigger may ask for. */
    public static final int MAX_ATTEMPTS = 100;

    /** The longest base backoff a trigger may ask for: one hour. */
    public static final long MAX_BACKOFF_MILLIS = 3_600_000;

    /** The most records of a trigger one executor may run at once. */
    public static final int MAX_CONCURRENCY = 256;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /**
     * Where a successful run's stdout goes: exactly one of the two.
     *
     * @param topic a record on this topic with the input's key, stdout as value and the {@link #TRIGGER_HEADER},
     *     {@link #SOURCE_HEADER} and {@link #ATTEMPTS_HEADER} headers; not one of Cidra's own topics, nor the source
     * @param publisher a result (stdout, stderr, exitCode) published as a job's would be, with job id
     *     {@link #jobId}, execution id the same, and {@code {date}}/{@code {time}} from the record's timestamp: an S3
     *     publisher whose {@code Key} contains {@code {jobID}} or {@code {executionID}} and not {@code {nodeID}}, so a
     *     rerun, on any node, overwrites the same key
     */
    public record Output(String topic, Publisher publisher) {
        /**
         * @throws IllegalArgumentException naming the field and the rule it breaks
         */
        public Output {
            if ((topic == null) == (publisher == null)) {
                throw new IllegalArgumentException("output must have exactly one of topic and publisher");
            }
            if (topic != null) {
                ownTopic(topic, "output.topic");
            }
            if (publisher != null) {
                if (!Publisher.S3.equals(publisher.type())) {
                    throw new IllegalArgumentException("output.publisher must be of type " + Publisher.S3 + ", not "
                            + publisher.type() + ": a local result per record would pile up on one executor");
                }
                String key = publisher.params().get("Key");
                if (key.contains("{nodeID}")) { // {jobID} or {executionID} it has, as every publisher's key
                    throw new IllegalArgumentException("output.publisher Key \"" + key + "\" must not contain"
                            + " {nodeID}, so that each record has one key of its own however often and wherever it"
                            + " runs");
                }
            }
        }
    }

    /**
     * @param maxAttempts how many times a record runs at most, the first included: 1-{@value #MAX_ATTEMPTS}
     * @param backoffMillis the wait before the second attempt, doubled before each further one up to
     *     {@link #maxBackoffMillis()}: 0-{@value #MAX_BACKOFF_MILLIS}
     */
    public record Retry(int maxAttempts, long backoffMillis) {
        /**
         * @throws IllegalArgumentException naming the field and the rule it breaks
         */
        public Retry {
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
                throw new IllegalArgumentException(
                        "retry.maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", not " + maxAttempts);
            }
            if (backoffMillis < 0 || backoffMillis > MAX_BACKOFF_MILLIS) {
                throw new IllegalArgumentException("retry.backoff must be between 0 and " + MAX_BACKOFF_MILLIS
                        + " ms, not " + backoffMillis + " ms");
            }
        }

        /** The longest wait between two attempts: 32 times the base backoff, at most {@value #MAX_BACKOFF_MILLIS}. */
        public long maxBackoffMillis() {
            return Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 32);
        }

        /** The wait after failed attempt {@code attempt} (from 1) and before the next. */
        public long backoffAfter(int attempt) {
            long wait = backoffMillis;
            for (int i = 1; i < attempt && wait < maxBackoffMillis(); i++) {
                wait *= 2;
            }
            return Math.min(wait, maxBackoffMillis());
        }
    }

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public Trigger {
        if (tenant != null) {
            ApiKey.tenant(tenant);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 100 characters of [A-Za-z0-9._-], starting with a"
                    + " letter or digit, not "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        Require.nonBlank(id, "id");
        if (createdAt == null) {
            throw new IllegalArgumentException("createdAt must be set, not null");
        }
        ownTopic(topic, "topic");
        Require.nonBlank(module, "module");
        entrypoint =
                entrypoint == null ? InvocationRequest.DEFAULT_ENTRYPOINT : Require.nonBlank(entrypoint, "entrypoint");
        args = Require.strings(args, "args");
        env = Require.env(env);
        for (String variable : env.keySet()) {
            if (variable.startsWith(RESERVED_ENV_PREFIX)) {
                throw new IllegalArgumentException("env name \"" + variable + "\" is reserved: names starting with "
                        + RESERVED_ENV_PREFIX + " carry the record");
            }
        }
        headers = Require.strings(headers, "headers");
        for (int i = 0; i < headers.size(); i++) {
            Require.nonBlank(headers.get(i), "headers[" + i + "]");
        }
        if (output == null) {
            throw new IllegalArgumentException("output must be set, not null");
        }
        if (topic.equals(output.topic())) {
            throw new IllegalArgumentException(
                    "output.topic must differ from topic, or the trigger would consume its own output");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException(
                    "concurrency must be between 1 and " + MAX_CONCURRENCY + ", not " + concurrency);
        }
        if (retry == null) {
            throw new IllegalArgumentException("retry must be set, not null");
        }
        if (deadLetterTopic == null) {
            deadLetterTopic = Topics.DEAD_LETTER;
        } else if (!deadLetterTopic.equals(Topics.DEAD_LETTER)) {
            ownTopic(deadLetterTopic, "deadLetterTopic");
        }
        if (deadLetterTopic.equals(topic)) {
            throw new IllegalArgumentException(
                    "deadLetterTopic must differ from topic, or failed records would run again");
        }
        Require.memory(memoryBytes);
        Require.atLeast(timeoutMillis, 1, "timeoutMillis");
        startOffsets = startOffsets == null ? Map.of() : Map.copyOf(new TreeMap<>(startOffsets));
    }

    /** The environment variable a selected header is passed in: {@value #ENV_HEADER_PREFIX} and the name in upper case, every character but {@code [A-Z0-9]} made {@code _}. */
    public static String headerEnvName(String header) {
        var name = new StringBuilder(ENV_HEADER_PREFIX);
        for (char c : header.toUpperCase(Locale.ROOT).toCharArray()) {
            name.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return name.toString();
    }

    /** This trigger with {@code offsets} as its {@link #startOffsets()}. */
    public Trigger startingAt(Map<Integer, Long> offsets) {
        return new Trigger(
                name,
                id,
                createdAt,
                topic,
                module,
                entrypoint,
                args,
                env,
                headers,
                output,
                concurrency,
                retry,
                deadLetterTopic,
                memoryBytes,
                timeoutMillis,
                offsets,
                tenant);
    }

    /** This trigger, belonging to {@code owner}. */
    public Trigger ownedBy(String owner) {
        return new Trigger(
                name,
                id,
                createdAt,
                topic,
                module,
                entrypoint,
                args,
                env,
                headers,
                output,
                concurrency,
                retry,
                deadLetterTopic,
                memoryBytes,
                timeoutMillis,
                startOffsets,
                owner);
    }

    /** A trigger of no tenant (see {@link #tenant()}). */
    public Trigger(
            String name,
            String id,
            Instant createdAt,
            String topic,
            String module,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            List<String> headers,
            Output output,
            int concurrency,
            Retry retry,
            String deadLetterTopic,
            long memoryBytes,
            long timeoutMillis,
            Map<Integer, Long> startOffsets) {
        this(
                name,
                id,
                createdAt,
                topic,
                module,
                entrypoint,
                args,
                env,
                headers,
                output,
                concurrency,
                retry,
                deadLetterTopic,
                memoryBytes,
                timeoutMillis,
                startOffsets,
                null);
    }

    /** The job id of the result a publisher output publishes for the record at {@code partition@offset}. */
    public String jobId(int partition, long offset) {
        return "t-" + name + "-" + id + "-" + partition + "-" + offset;
    }

    /** The consumer group of this incarnation. */
    public String groupId() {
        return "cidra-trigger-" + name + "-" + id;
    }

    /** A topic a trigger may read or write: a valid name that is neither Cidra's own nor Kafka's internal. */
    private static void ownTopic(String topic, String field) {
        Topics.requireValidName(topic, field);
        if (topic.startsWith("cidra.")) {
            throw new IllegalArgumentException(
                    field + " \"" + topic + "\" is one of Cidra's own topics (cidra.*); a trigger may not use it");
        }
        if (topic.startsWith("__")) {
            throw new IllegalArgumentException(
                    field + " \"" + topic + "\" is one of Kafka's internal topics (__*); a trigger may not use it");
        }
    }
}
