package dev.cidra.executor.service.config;

import dev.cidra.contract.KafkaClientConfig;
import dev.cidra.registry.ModuleBucketConfig;
import dev.cidra.registry.S3Config;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The executor service's own settings, under the prefix {@code cidra}. Defaults suit the local platform; every key can
 * be set as an environment variable ({@code cidra.s3.endpoint} is {@code CIDRA_S3_ENDPOINT}). Validated at startup.
 */
@ConfigMapping(prefix = "cidra")
public interface ExecutorConfig {

    /** The S3-compatible object store that holds the modules. */
    S3Config s3();

    /** Where modules live in that object store, and how many are cached. */
    Registry registry();

    /** The Kafka cluster requests come from and replies go to. */
    Kafka kafka();

    /** How requests are run. */
    Execution execution();

    /** Asynchronous jobs: execution markers, work space, results kept on this node. */
    Jobs jobs();

    /** Where job inputs may come from, and how much of them. */
    Inputs inputs();

    /** The IPFS gateway job inputs of type {@code ipfs} are fetched through. */
    Ipfs ipfs();

    /** How the node announces itself on {@code cidra.nodes}. */
    Node node();

    /** Which kind of executor this node is: one of the shared module store's, or a provider of modules of its own. */
    Executor executor();

    /**
     * A provider node serves only the calls and jobs that need one of its modules (as entry or as a transitive import),
     * and it is the only kind of node that receives them; see {@code ProvidedModules}.
     */
    interface Executor {
        /**
         * {@code cidra.executor.provides-dir}: a directory of modules this node holds privately, one file per module
         * named by the CID of its bytes ({@code <cid>} or {@code <cid>.wasm}); every file is verified at startup, and a
         * file whose bytes are not its CID's stops the node from starting. Set, the node is a provider: it announces
         * the CIDs and consumes only the work needing them. Unset: the node serves the shared module store's modules.
         */
        Optional<Path> providesDir();

        /**
         * {@code cidra.executor.provides}: comma-separated CIDs of {@link #providesDir()} this node offers, each of
         * which must have its file there. Unset: every module of the directory.
         */
        Optional<List<String>> provides();
    }

    /** The node's announcements ({@code NodeInfo} on {@code cidra.nodes}). */
    interface Node {
        /** {@code cidra.node.labels.<name>}: the operator's labels for this node, shown by {@code cidra node list}. */
        Map<String, String> labels();

        /**
         * {@code cidra.node.heartbeat-interval}: how often the node announces itself; readers take a node that missed
         * three announcements for gone.
         */
        @WithDefault("2s")
        Duration heartbeatInterval();
    }

    /** The module bucket ({@link ModuleBucketConfig}, read the way the gateway writes it) and the executor's cache. */
    interface Registry extends ModuleBucketConfig {
        /** {@code cidra.registry.memory-cache-bytes}: bound of the in-memory module cache, in bytes (128 MiB). */
        @WithDefault("134217728")
        long memoryCacheBytes();
    }

    /**
     * Kafka client settings the service needs ({@link KafkaClientConfig}: brokers and SASL login); topic names are
     * fixed by {@code dev.cidra.contract.Topics}.
     */
    interface Kafka extends KafkaClientConfig {
        /** {@code cidra.kafka.bootstrap-servers}: comma-separated {@code host:port} list of brokers. */
        @WithDefault("127.0.0.1:9092")
        @Override
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

        /**
         * {@code cidra.kafka.session-timeout}: how long the group coordinator waits for a heartbeat of one of this
         * node's consumers before it takes the node for dead and hands its partitions to the other nodes; also how long
         * a restarted node may take to rejoin under its static member id without a rebalance. It must lie within the
         * broker's {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}. Heartbeats come from
         * a background thread, so a long guest does not miss them.
         */
        @WithDefault("3s")
        Duration sessionTimeout();

        /** {@code cidra.kafka.heartbeat-interval}: how often this node's consumers heartbeat; a third of the session. */
        @WithDefault("1s")
        Duration heartbeatInterval();
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

        /**
         * {@code cidra.execution.warmup-rounds}: rounds of the engine's built-in warm-up corpus run at startup, before
         * the node is ready and before it takes requests or jobs (each compiles more of the Graal compiler itself; a round's
         * compute run is cut off after 1 minute). 0 turns the warm-up off.
         */
        @WithDefault("3")
        int warmupRounds();

        /**
         * {@code cidra.execution.pooled-contexts}: contexts kept instantiated ahead per hot module (from its second
         * call on), each used by one call only; 0 turns the pool off.
         */
        @WithDefault("2")
        int pooledContexts();

        /**
         * {@code cidra.execution.pool-bytes}: bound of the pooled contexts' memory, in bytes (64 MiB): each is charged
         * its modules' initial memories plus 64 KiB; the least recently called module gives way.
         */
        @WithDefault("67108864")
        long poolBytes();
    }

    /** Asynchronous jobs ({@code dev.cidra.contract.JobRequest}). */
    interface Jobs {
        /**
         * {@code cidra.jobs.state-bucket}: the bucket holding one marker per finished execution,
         * {@code executions/<executionId>.json}, the execution's terminal event as JSON; a redelivered job whose marker
         * exists is not run again. Unset: {@code cidra.registry.bucket}.
         */
        Optional<String> stateBucket();

        /**
         * {@code cidra.jobs.work-dir}: where each execution gets a fresh directory for its downloaded inputs, result
         * directories and archive; the directory is deleted when the execution ends, however it ends.
         */
        @WithDefault("${java.io.tmpdir}/cidra-jobs")
        Path workDir();

        /**
         * {@code cidra.jobs.results-dir}: where results of jobs with the {@code local} publisher are kept, one
         * {@code <executionId>.tar.gz} each, served at {@code GET /v1/results/<executionId>} until
         * {@link #resultsRetention()} has passed.
         */
        @WithDefault("${java.io.tmpdir}/cidra-results")
        Path resultsDir();

        /**
         * {@code cidra.jobs.results-retention}: how long a {@code local} result is kept after it was written; an older
         * one is no longer served and is deleted within a tenth of this (at most an hour later). Use the {@code s3}
         * publisher for results that must last.
         */
        @WithDefault("24h")
        Duration resultsRetention();

        /**
         * {@code cidra.jobs.public-url}: the base URL under which clients reach this node's HTTP port; the
         * {@code local} publisher's result URL is this plus {@code /v1/results/<executionId>}.
         */
        @WithDefault("http://127.0.0.1:${quarkus.http.port}")
        URI publicUrl();

        /**
         * {@code cidra.jobs.default-disk-bytes}: the disk cap of a job that asks for none ({@code diskBytes} 0): bytes
         * downloaded for its inputs plus bytes of its published result (1 GiB).
         */
        @WithDefault("1073741824")
        long defaultDiskBytes();

        /**
         * {@code cidra.jobs.max-disk-bytes}: the most disk any job may use, whatever its {@code Resources.Disk} asks for
         * (10 GiB); a larger request is cut down to it.
         */
        @WithDefault("10737418240")
        long maxDiskBytes();

        /**
         * {@code cidra.jobs.event-output-bytes}: how many bytes of stdout and of stderr a terminal job event carries
         * (the whole output is in the published result).
         */
        @WithDefault("4096")
        int eventOutputBytes();

        /**
         * {@code cidra.jobs.max-infrastructure-attempts}: how often an execution is attempted while it fails for a
         * reason of the node's infrastructure rather than of the job (S3 down for the execution marker, an input or
         * the result; Kafka refusing its RUNNING event). After the last, the job ends FAILED with the reason and the
         * number of attempts, and its record goes to the dead-letter topic. With the default backoff, 10 attempts ride
         * out an outage of at least 75 s (the waits add up to 75 to 151 s).
         */
        @WithDefault("10")
        int maxInfrastructureAttempts();

        /**
         * {@code cidra.jobs.retry-backoff}: the wait after an execution's first attempt failed for its infrastructure;
         * it doubles after each further one, up to {@link #retryBackoffMax()}, and each wait is drawn at random
         * between half of it and all of it, so that nodes do not retry in step.
         */
        @WithDefault("1s")
        Duration retryBackoff();

        /** {@code cidra.jobs.retry-backoff-max}: the longest wait between two attempts of an execution. */
        @WithDefault("30s")
        Duration retryBackoffMax();
    }

    /** Job inputs ({@code dev.cidra.contract.InputSource}). */
    interface Inputs {
        /**
         * {@code cidra.inputs.local-directories}: comma-separated host directories a {@code localDirectory} input may
         * mount, each {@code PATH}, {@code PATH:ro} (read-only, the default) or {@code PATH:rw} (may be mounted
         * read-write when the input asks with {@code ReadWrite=true}). A source path is allowed when its real path
         * (symbolic links resolved) is inside an entry's real path. Unset: no local directory may be mounted.
         */
        Optional<List<String>> localDirectories();

        /** {@code cidra.inputs.max-url-bytes}: the largest {@code urlDownload} input, in bytes (1 GiB). */
        @WithDefault("1073741824")
        long maxUrlBytes();

        /** {@code cidra.inputs.url-timeout}: how long one {@code urlDownload}, body included, may take. */
        @WithDefault("60s")
        Duration urlTimeout();

        /**
         * {@code cidra.inputs.allow-private-urls}: whether a {@code urlDownload} (or a redirect it follows) may reach a
         * loopback, link-local, site-local (private), unique-local IPv6 ({@code fc00::/7}), carrier-grade NAT
         * ({@code 100.64.0.0/10}), wildcard or multicast address. Off by default, so a job cannot make the executor
         * fetch from its own node or network (cloud metadata endpoints, internal services).
         */
        @WithDefault("false")
        boolean allowPrivateUrls();
    }

    /** IPFS. */
    interface Ipfs {
        /**
         * {@code cidra.ipfs.gateway}: base URI of an IPFS trustless gateway, e.g.
         * {@code https://trustless-gateway.link}; every block fetched through it is verified against its CID. Unset:
         * {@code ipfs} inputs fail with "no IPFS gateway configured".
         */
        Optional<URI> gateway();
    }
}
