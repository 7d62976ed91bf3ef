package dev.cidra.executor.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The executor service's own settings, under the prefix {@code cidra}. Defaults suit the local platform; every key can
 * be set as an environment variable ({@code cidra.s3.endpoint} is {@code CIDRA_S3_ENDPOINT}). Validated at startup.
 */
@ConfigMapping(prefix = "cidra")
public interface ExecutorConfig {

    /** The S3-compatible object store that holds the modules. */
    S3 s3();

    /** Where modules live in that object store, and how many are cached. */
    Registry registry();

    /** The Kafka cluster requests come from and replies go to. */
    Kafka kafka();

    /** How requests are run. */
    Execution execution();

    /** Connection to the S3-compatible object store. */
    interface S3 {
        /**
         * {@code cidra.s3.endpoint}: the object store's base URI, e.g. {@code http://127.0.0.1:9000} for MinIO or
         * S3Proxy; when set, buckets are addressed path-style. Unset: the AWS S3 endpoint of {@link #region()}.
         */
        Optional<URI> endpoint();

        /** {@code cidra.s3.region}: the region requests are signed for (and sent to, without an endpoint). */
        @WithDefault("us-east-1")
        String region();

        /**
         * {@code cidra.s3.access-key-id}: the access key of static credentials; set together with
         * {@link #secretAccessKey()}. Unset: the AWS default credentials chain.
         */
        Optional<String> accessKeyId();

        /** {@code cidra.s3.secret-access-key}: the secret of static credentials; set together with the access key. */
        Optional<String> secretAccessKey();

        /**
         * {@code cidra.s3.readiness-timeout}: how long the readiness check waits for {@code HeadBucket} before it
         * reports the executor not ready.
         */
        @WithDefault("2s")
        Duration readinessTimeout();
    }

    /** The module bucket, read the way the gateway writes it. */
    interface Registry {
        /** {@code cidra.registry.bucket}: the bucket that holds the modules. */
        @WithDefault("cidra-modules")
        String bucket();

        /** {@code cidra.registry.key-prefix}: prepended to the CID to form a module's object key. */
        @WithDefault("modules/")
        String keyPrefix();

        /** {@code cidra.registry.max-module-bytes}: the largest module fetched, in bytes (64 MiB by default). */
        @WithDefault("67108864")
        long maxModuleBytes();

        /** {@code cidra.registry.memory-cache-bytes}: bound of the in-memory module cache, in bytes (128 MiB). */
        @WithDefault("134217728")
        long memoryCacheBytes();
    }

    /** Kafka client settings the service needs; topic names are fixed by {@code dev.cidra.contract.Topics}. */
    interface Kafka {
        /** {@code cidra.kafka.bootstrap-servers}: comma-separated {@code host:port} list of brokers. */
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** {@code cidra.kafka.group-id}: the consumer group all executor nodes share; each request runs on one node. */
        @WithDefault("cidra-executor")
        String groupId();

        /**
         * {@code cidra.kafka.topic-partitions}: partitions of the topics the service creates when they are missing.
         * Unset: the broker's default.
         */
        OptionalInt topicPartitions();

        /**
         * {@code cidra.kafka.topic-replication-factor}: replication factor of the topics the service creates. Unset:
         * the broker's default.
         */
        Optional<Short> topicReplicationFactor();

        /** {@code cidra.kafka.request-timeout}: how long admin calls and reply sends may take before they fail. */
        @WithDefault("10s")
        Duration requestTimeout();
    }

    /** Running requests. */
    interface Execution {
        /**
         * {@code cidra.execution.concurrency}: how many guests run at once on this node. Unset: the number of
         * available processors (one running guest per core).
         */
        OptionalInt concurrency();

        /** {@code cidra.execution.node-id}: the node id replies carry. Unset: the host name. */
        Optional<String> nodeId();

        /** {@code cidra.execution.stdout-bytes}: stdout kept per invocation, in bytes (1 MiB). */
        @WithDefault("1048576")
        int stdoutBytes();

        /** {@code cidra.execution.stderr-bytes}: stderr kept per invocation, in bytes (1 MiB). */
        @WithDefault("1048576")
        int stderrBytes();
    }
}
