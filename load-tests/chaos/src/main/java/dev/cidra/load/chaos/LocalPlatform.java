package dev.cidra.load.chaos;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A platform of two gateways and two executors that {@code cidra up} starts in a state directory of its own, and the
 * faults done to its processes: SIGKILL, SIGSTOP and SIGCONT by the pids {@code up} recorded, restarts by {@code up}
 * (which starts what is missing on the recorded ports). Not thread-safe: one fault at a time.
 *
 * @param cidra the command that runs the CLI ({@code ./cidra}, or {@code java ... dev.cidra.cli.Cidra})
 * @param home the state directory
 * @param basePort Kafka listens on it, its controller on +1, S3Proxy on +2, the executors on +10 and +110, the
 *     gateways on +20 and +120
 */
record LocalPlatform(List<String> cidra, Path home, int basePort) {
    static final int GATEWAYS = 2;
    static final int EXECUTORS = 2;

    /** The executors' consumer group of {@code cidra.invocations} (their default {@code cidra.kafka.group-id}). */
    private static final String EXECUTOR_GROUP = "cidra-executor";

    /** The static member id of executor n's requests consumer, as {@code cidra up} names the nodes. */
    private static final Pattern EXECUTOR_INSTANCE = Pattern.compile("local-executor-(\\d+)-requests");

    /** What a CLI command printed, and its exit status. */
    record Run(int exit, String stdout, String stderr) {}

    /**
     * Starts the platform and waits until every process is ready.
     *
     * @throws IllegalStateException with the CLI's output if {@code up} fails
     */
    Run up() throws IOException, InterruptedException {
        return require(upWithoutWarmup(
                "--gateways",
                Integer.toString(GATEWAYS),
                "--executors",
                Integer.toString(EXECUTORS),
                "--kafka-port",
                Integer.toString(kafkaPort()),
                "--kafka-controller-port",
                Integer.toString(basePort + 1),
                "--s3-port",
                Integer.toString(basePort + 2),
                "--executor-port",
                Integer.toString(basePort + 10),
                "--gateway-port",
                Integer.toString(basePort + 20)));
    }

    /**
     * Starts what is not running (on the recorded ports), waiting until it is ready. On a loaded machine a JVM may miss
     * {@code up}'s 90 s readiness limit, after which {@code up} stops it: then it is started once more.
     */
    Run restart() throws IOException, InterruptedException {
        Run first = upWithoutWarmup();
        return first.exit() == 0 ? first : require(upWithoutWarmup());
    }

    /**
     * {@code cidra up OPTIONS} without its request-path warm-up: a restart is measured from the moment it begins to the
     * first call that succeeds, which the warm-up's calls would compete with, and a replica Kubernetes restarts has
     * none.
     */
    private Run upWithoutWarmup(String... options) throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of("up", "--warm-up-calls", "0"));
        args.addAll(List.of(options));
        return cli(args.toArray(String[]::new));
    }

    Run status() throws IOException, InterruptedException {
        return require(cli("status"));
    }

    Run down() throws IOException, InterruptedException {
        return cli("down");
    }

    /** Runs {@code cidra <args> --home <home>}, waiting at most 5 minutes. */
    Run cli(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(cidra);
        command.addAll(List.of(args));
        command.addAll(List.of("--home", home.toString()));
        Path out = Files.createTempFile("chaos-cli", ".out");
        Path err = Files.createTempFile("chaos-cli", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("cidra " + String.join(" ", args) + " did not end within 5 minutes");
            }
            return new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Run require(Run run) {
        if (run.exit() != 0) {
            throw new IllegalStateException("cidra failed (" + run.exit() + "): " + run.stderr() + run.stdout());
        }
        return run;
    }

    /** The pid {@code up} recorded for the process named {@code id} ({@code executor-2}, {@code kafka}). */
    long pid(String id) throws IOException {
        var properties = new Properties();
        try (Reader in = Files.newBufferedReader(home.resolve("run").resolve(id + ".pid"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return Long.parseLong(properties.getProperty("pid").strip());
    }

    /** SIGKILL, and waits until the process has exited. */
    void kill(String id) throws IOException, InterruptedException {
        ProcessHandle process =
                ProcessHandle.of(pid(id)).orElseThrow(() -> new IllegalStateException(id + " does not run"));
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(id + " did not exit after SIGKILL", e);
        }
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}) to the process named {@code id}. */
    void signal(String id, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(id)))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + id + " failed");
        }
    }

    /**
     * The executor ({@code executor}, {@code executor-2}) whose requests consumer owns the most partitions of
     * {@code cidra.invocations} now, as the group coordinator describes group {@code cidra-executor}: the one whose
     * death fails the most calls.
     */
    String busiestExecutor() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            var group = admin.describeConsumerGroups(List.of(EXECUTOR_GROUP))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(EXECUTOR_GROUP);
            String busiest = id("executor", 1);
            int most = -1;
            for (var member : group.members()) {
                var number =
                        member.groupInstanceId().map(EXECUTOR_INSTANCE::matcher).filter(Matcher::matches);
                int owned = member.assignment().topicPartitions().size();
                if (number.isPresent() && owned > most) {
                    busiest = id("executor", Integer.parseInt(number.get().group(1)));
                    most = owned;
                }
            }
            return busiest;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe group " + EXECUTOR_GROUP, e);
        }
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort();
    }

    private int kafkaPort() {
        return basePort;
    }

    URI s3Endpoint() {
        return URI.create("http://127.0.0.1:" + (basePort + 2));
    }

    /** Gateway {@code number} (from 1). */
    URI gateway(int number) {
        return URI.create("http://127.0.0.1:" + (basePort + 20 + 100 * (number - 1)));
    }

    /** The id {@code up} gives replica {@code number} of {@code component}: {@code executor}, {@code executor-2}. */
    static String id(String component, int number) {
        return number == 1 ? component : component + "-" + number;
    }

    /** The admin API key {@code up} made. */
    String token() throws IOException {
        return Files.readString(home.resolve("auth/admin-token"), StandardCharsets.UTF_8)
                .strip();
    }

    Path log(String id) {
        return home.resolve("logs").resolve(id + ".log");
    }

    /** Lines and bytes of a log file now (0 if it does not exist). */
    LogSize logSize(String id) throws IOException {
        Path log = log(id);
        if (!Files.exists(log)) {
            return new LogSize(0, 0);
        }
        long lines;
        try (var stream = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            lines = stream.count();
        }
        return new LogSize(lines, Files.size(log));
    }

    record LogSize(long lines, long bytes) {
        LogSize minus(LogSize before) {
            return new LogSize(lines - before.lines, bytes - before.bytes);
        }

        LogSize plus(LogSize other) {
            return new LogSize(lines + other.lines, bytes + other.bytes);
        }
    }

    /** Sleeps {@code duration}. */
    static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}
