package dev.cidra.gateway.config;

import dev.cidra.contract.KafkaClientConfig;
import dev.cidra.registry.ModuleBucketConfig;
import dev.cidra.registry.S3Config;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The gateway's own settings, under the prefix {@code cidra}. Defaults suit the local platform; every key can be set as
 * an environment variable ({@code cidra.s3.endpoint} is {@code CIDRA_S3_ENDPOINT}). Validated at startup.
 */
@ConfigMapping(prefix = "cidra")
public interface GatewayConfig {

    /** The S3-compatible object store that holds the modules. */
    S3Config s3();

    /** How modules are stored in that object store. */
    Registry registry();

    /** The Kafka cluster invocations and jobs travel through. */
    Kafka kafka();

    /** Synchronous invocations ({@code POST /v1/functions/{cid}/invoke}). */
    Invocations invocations();

    /** Asynchronous jobs ({@code /v1/jobs}). */
    Jobs jobs();

    /** The module bucket ({@link ModuleBucketConfig}, which the executors read the same way) and its creation. */
    interface Registry extends ModuleBucketConfig {
        /**
         * {@code cidra.registry.create-bucket}: whether to create the bucket at startup when it does not exist. Startup
         * fails if the object store cannot be reached then. Turn it off where the bucket is provisioned separately.
         */
        @WithDefault("true")
        boolean createBucket();
    }

    /**
     * Kafka client settings ({@link KafkaClientConfig}: brokers and SASL login); topic names are fixed by
     * {@code dev.cidra.contract.Topics}.
     */
    interface Kafka extends KafkaClientConfig {
        /** {@code cidra.kafka.bootstrap-servers}: comma-separated {@code host:port} list of brokers. */
        @WithDefault("127.0.0.1:9092")
        @Override
        String bootstrapServers();

        /**
         * {@code cidra.kafka.request-timeout}: how long an admin call, a send (until acknowledged) or a transaction
         * commit may take before it fails; also bounds the readiness check and how long shutdown waits for clients.
         */
        @WithDefault("10s")
        Duration requestTimeout();

        /**
         * {@code cidra.kafka.topic-partitions}: partitions of the topics the gateway creates when they are missing.
         * Unset: the broker's default.
         */
        OptionalInt topicPartitions();

        /**
         * {@code cidra.kafka.topic-replication-factor}: replication factor of the topics the gateway creates. Unset:
         * the broker's default.
         */
        Optional<Short> topicReplicationFactor();
    }

    /** Limits and defaults of synchronous invocations. */
    interface Invocations {
        /** {@code cidra.invocations.default-timeout}: the guest's wall-clock cap when the call names none. */
        @WithDefault("30s")
        Duration defaultTimeout();

        /** {@code cidra.invocations.max-timeout}: the largest {@code timeout} a call may ask for; more is a 400. */
        @WithDefault("5m")
        Duration maxTimeout();

        /**
         * {@code cidra.invocations.reply-wait-slack}: how much longer than the guest's timeout the gateway waits for
         * the reply (queueing, module fetch, linking, Kafka) before it answers 504 and leaves the call to
         * {@code GET /v1/jobs/{id}}.
         */
        @WithDefault("5s")
        Duration replyWaitSlack();

        /**
         * {@code cidra.invocations.max-stdin-bytes}: the largest request body (the guest's stdin), in bytes; more is a
         * 413. The request travels as JSON with stdin in base64 (4/3 of its size), so the default of 512 KiB keeps it
         * under Kafka's default 1 MiB record limit.
         */
        @WithDefault("524288")
        int maxStdinBytes();

        /**
         * {@code cidra.invocations.default-memory}: the guest's memory cap when the call (or a job's
         * {@code Resources.Memory}) names none: bytes or a size such as {@code 64Mi}.
         */
        @WithDefault("64Mi")
        String defaultMemory();

        /**
         * {@code cidra.invocations.hot-key-rate}: requests per second for one CID above which its requests are spread
         * over the keys {@code cid#0 .. cid#(n-1)}, n growing with the rate up to the partitions of
         * {@code cidra.invocations}; below it every request for a CID goes to one partition, so to one executor whose
         * module cache holds it.
         */
        @WithDefault("200")
        double hotKeyRate();

        /**
         * {@code cidra.invocations.reply-cache-bytes}: the most memory the cache of recent replies may take (stdout
         * and stderr excerpts counted); it lets {@code GET /v1/jobs/{id}} show the reply of a call that timed out.
         */
        @WithDefault("16777216")
        long replyCacheBytes();

        /** {@code cidra.invocations.reply-cache-ttl}: how long a reply stays in that cache after it arrived. */
        @WithDefault("1h")
        Duration replyCacheTtl();

        /**
         * {@code cidra.invocations.reply-partition}: the partition of {@code cidra.replies} this replica reads, and
         * every request it publishes names for its reply; below the topic's partition count, else startup fails.
         * Give each replica its own (replica k of {@code cidra up} reads partition k-1). Unset: the replica's host
         * name (a pod's name) hashed over the partitions, so replicas may share one now and then, which costs each
         * of them the other's replies but answers every call right.
         */
        OptionalInt replyPartition();
    }

    /** The job API. */
    interface Jobs {
        /**
         * {@code cidra.jobs.view-max-jobs}: how many jobs the in-memory view of {@code cidra.job-events} keeps; the
         * least recently updated go first, and are then unknown ({@code 404}) on this replica.
         */
        @WithDefault("100000")
        int viewMaxJobs();

        /** {@code cidra.jobs.default-execution-timeout}: a job's wall-clock cap when its spec sets no timeout. */
        @WithDefault("10m")
        Duration defaultExecutionTimeout();

        /** {@code cidra.jobs.max-execution-timeout}: the largest {@code Timeouts.ExecutionTimeout} a spec may set. */
        @WithDefault("24h")
        Duration maxExecutionTimeout();

        /**
         * {@code cidra.jobs.max-count}: the largest {@code Count} a deterministic job spec may set, each count one
         * execution on a distinct executor whose result CIDs are compared; at least 1 (1: no re-execution checks).
         */
        @WithDefault("3")
        int maxCount();

        /**
         * {@code cidra.jobs.max-status-wait}: the longest {@code wait} of {@code GET /v1/jobs/{id}}, which holds the
         * answer until the job changes.
         */
        @WithDefault("30s")
        Duration maxStatusWait();

        /**
         * {@code cidra.jobs.max-waited-jobs}: how many jobs callers may wait on a change of at once on this replica;
         * beyond that, a {@code GET /v1/jobs/{id}?wait=...} answers at once, as without {@code wait}.
         */
        @WithDefault("10000")
        int maxWaitedJobs();
    }
}
