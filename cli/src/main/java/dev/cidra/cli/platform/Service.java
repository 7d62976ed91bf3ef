package dev.cidra.cli.platform;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** How {@code cidra up} runs one {@link Replica}: its files, its command line, and how it tells it is ready. */
sealed interface Service permits KafkaService, S3ProxyService, ExecutorNodeService, GatewayService {
    Replica replica();

    /**
     * Writes this component's configuration under the state directory and does any one-time setup (Kafka formats its
     * storage on first use), reporting long steps on {@code progress}. Safe to repeat.
     */
    void prepare(PrintWriter progress) throws IOException, InterruptedException;

    /** The JVM's arguments after {@code java} and the component marker: options, then the main class or jar. */
    List<String> jvmArguments();

    /** How long the component may take from launch to ready before {@code up} gives up on it. */
    default Duration startTimeout() {
        return Duration.ofSeconds(90);
    }

    /** Opens a check of whether the component serves requests; the caller closes it. */
    Readiness readiness();

    /** A repeatable check of one running component. Not thread-safe. */
    interface Readiness extends AutoCloseable {
        /**
         * Returns normally if the component serves requests now.
         *
         * @throws Exception saying why not (the last one is shown if the component never gets ready)
         */
        void check() throws Exception;

        /**
         * What the component last said of its start while it was not ready yet (e.g. {@code warm-up 1/3}), or null.
         */
        default String progress() {
            return null;
        }

        @Override
        void close();
    }
}
