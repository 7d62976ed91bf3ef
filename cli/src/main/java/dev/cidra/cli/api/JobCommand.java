package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.cli.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cidra job}: jobs on the platform. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Submit, follow, list jobs and download their results, through the gateway.",
        footer = {"", "Examples:", "  cidra job run job.yaml", "  cidra job list", "  cidra job logs j-5f0c..."},
        subcommands = {
            JobCommand.Run.class,
            JobCommand.Describe.class,
            JobCommand.Verify.class,
            JobCommand.Logs.class,
            JobCommand.Get.class,
            JobCommand.ListJobs.class,
            JobCommand.Stop.class,
            CommandLine.HelpCommand.class
        })
public final class JobCommand {
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    /** {@code cidra job run}. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Submit a job spec (Bacalhau's shape, JSON or YAML; see the README) as it is, then, by default, wait"
                        + " for the job: its progress on stderr, then the guest's stdout and stderr, and exit with"
                        + " the guest's exit code (125 if the job failed before the guest ran).",
                "SPEC is a file (.json is sent as JSON, anything else as YAML, which JSON also is) or - for stdin."
            },
            footer = {
                "",
                "Examples:",
                "  cidra job run job.yaml",
                "  cidra job run job.json --id-only",
                "  cat job.yaml | cidra job run -"
            })
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SPEC", description = "The job spec file, or - for stdin.")
        String file;

        @Mixin
        WaitOptions wait;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            byte[] spec;
            if (file.equals("-")) {
                spec = System.in.readAllBytes();
            } else if (Files.isRegularFile(Path.of(file))) {
                spec = Files.readAllBytes(Path.of(file));
            } else {
                throw new IllegalArgumentException(file + ": no such file");
            }
            String type = file.toLowerCase(Locale.ROOT).endsWith(".json") ? "application/json" : "application/yaml";
            try (Gateway gateway = gatewayOption.open()) {
                return new Jobs(gateway, OUT, ERR).run(spec, type, wait);
            }
        }
    }

    /** {@code cidra job stop}. */
    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Cancel a queued, running or publishing job (Bacalhau's job stop): a queued job never starts,"
                    + " a running guest is stopped, nothing is published. Prints who cancelled it and when.",
            footer = {"", "Examples:", "  cidra job stop j-5f0c..."})
    static final class Stop implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
        String jobId;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                new Jobs(gateway, OUT, ERR).stop(jobId);
                return 0;
            }
        }
    }

    /** {@code cidra job describe}. */
    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Show a job: its state, executions (node, exit code, error) and where its result was"
                    + " published.",
            footer = {"", "Examples:", "  cidra job describe j-5f0c...", "  cidra job describe j-5f0c... --json | jq ."
            })
    static final class Describe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
        String jobId;

        @Mixin
        JsonOutput output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                return output.print(new Jobs(gateway, OUT, ERR).status(jobId), Describe::describe);
            }
        }

        private static void describe(JsonNode job) {
            OUT.printf("Job        %s%n", job.path("jobID").asText());
            OUT.printf("State      %s%n", job.path("state").asText());
            line("Created", job.path("createdAt"));
            line("Updated", job.path("updatedAt"));
            OUT.printf("Result     %s%n", result(job.path("result")));
            if (job.path("result").hasNonNull("CID")) {
                OUT.printf("CID        %s%n", job.path("result").path("CID").asText());
            }
            line("Count", job.path("count"));
            line("Verified", job.path("verified"));
            line("Verdict", job.path("verdict"));
            JsonNode executions = job.path("executions");
            OUT.println("Executions " + executions.size());
            for (JsonNode execution : executions) {
                OUT.printf(
                        "  %s  node %s  %s%s%n",
                        execution.path("executionID").asText(),
                        execution.path("nodeID").asText(),
                        execution.path("state").asText(),
                        execution.has("exitCode")
                                ? "  exit " + execution.path("exitCode").asInt()
                                : "");
                line("  started", execution.path("startedAt"));
                line("  ended", execution.path("endedAt"));
                line("  CID", execution.path("result").path("CID"));
                if (execution.hasNonNull("error")) {
                    OUT.println("  error    " + execution.path("error").asText());
                }
            }
        }

        private static void line(String label, JsonNode value) {
            if (!value.isMissingNode() && !value.isNull()) {
                OUT.printf("%-10s %s%n", label, value.asText());
            }
        }

        /** Where a result is: s3://BUCKET/KEY, the URL of a local one, or "none". */
        private static String result(JsonNode result) {
            if (result.isMissingNode() || result.isNull()) {
                return "none";
            }
            if (result.path("Type").asText().equals("s3")) {
                return "s3://" + result.path("Bucket").asText() + "/"
                        + result.path("Key").asText()
                        + (result.has("Endpoint")
                                ? " (" + result.path("Endpoint").asText() + ")"
                                : "");
            }
            return result.path("Type").asText() + " " + result.path("URL").asText();
        }
    }

    /** {@code cidra job verify}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Run a finished deterministic job once more, as a new job on an executor none of its"
                    + " executions ran on, and compare the result CIDs: prints match (exit 0) or mismatch (exit 1).",
            footer = {"", "Examples:", "  cidra job verify j-5f0c..."})
    static final class Verify implements Callable<Integer> {
        /** Exit code of a rerun whose result CID differs from the job's. */
        static final int MISMATCH = 1;

        @Parameters(index = "0", paramLabel = "ID", description = "The id of a finished deterministic job.")
        String jobId;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                JsonNode verification = gateway.sendJson(
                        gateway.request(Jobs.path(jobId) + "/verify").POST(HttpRequest.BodyPublishers.noBody()), 202);
                String rerunId = verification.path("jobID").asText();
                String node = verification.path("nodeID").asText();
                String expected = verification.path("expectedCID").asText();
                ERR.println("job " + rerunId + ": runs " + jobId + " again on " + node);
                JsonNode rerun = new Jobs(gateway, OUT, ERR).await(rerunId);
                String actual = rerun.path("result").path("CID").asText(null);
                if (expected.equals(actual)) {
                    OUT.println(
                            "match: " + rerunId + " on " + node + " published " + actual + ", as " + jobId + " did");
                    return 0;
                }
                JsonNode execution = Jobs.lastExecution(rerun);
                String error = execution == null ? "" : execution.path("error").asText("");
                OUT.println("mismatch: " + jobId + " published " + expected + ", but " + rerunId + " on " + node
                        + (actual == null
                                ? " published no result" + (error.isEmpty() ? "" : " (" + error + ")")
                                : " published " + actual));
                return MISMATCH;
            }
        }
    }

    /** {@code cidra job logs}. */
    @Command(
            name = "logs",
            mixinStandardHelpOptions = true,
            description = "Print an ended job's stdout to stdout and its stderr to stderr: the whole streams from its"
                    + " published result when the excerpts the gateway keeps are cut.",
            footer = {"", "Examples:", "  cidra job logs j-5f0c...", "  cidra job logs j-5f0c... 2>/dev/null | wc -l"})
    static final class Logs implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
        String jobId;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                var jobs = new Jobs(gateway, OUT, ERR);
                JsonNode job = jobs.status(jobId);
                if (!Jobs.ended(job)) {
                    throw new IllegalStateException("job " + jobId + " is "
                            + job.path("state").asText() + "; its output is known once it ends");
                }
                jobs.printLogs(job);
                return 0;
            }
        }
    }

    /** {@code cidra job get}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Download a job's published result (GET /v1/jobs/{id}/outputs) and unpack it: stdout,"
                    + " stderr, exitCode and the result paths' files. Entries that would land outside the directory"
                    + " (absolute, .., links out) are refused.",
            footer = {
                "",
                "Examples:",
                "  cidra job get j-5f0c...                       # into ./j-5f0c...",
                "  cidra job get j-5f0c... --output-dir results"
            })
    public static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
        String jobId;

        @Option(
                names = "--output-dir",
                paramLabel = "DIR",
                description = "Where to unpack; must not exist or be empty. Default: ./ID.")
        Path outputDir;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Path dir = outputDir != null ? outputDir : Path.of(jobId);
            try (Gateway gateway = gatewayOption.open()) {
                HttpResponse<InputStream> response = new Jobs(gateway, OUT, ERR).outputs(jobId);
                long length =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                int files;
                try (InputStream body = Progress.wrap(response.body(), length, "downloading " + jobId)) {
                    files = ResultArchive.unpack(body, dir);
                }
                ERR.println("job " + jobId + ": " + files + " files in " + dir);
                return 0;
            }
        }
    }

    /** {@code cidra job list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the jobs the gateway knows, newest first.",
            footer = {
                "",
                "Examples:",
                "  cidra job list",
                "  cidra job list --state failed --limit 10",
                "  cidra job list --label team=search",
                "  cidra job list --json | jq -r '.jobs[].jobID'"
            })
    static final class ListJobs implements Callable<Integer> {
        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most N jobs (1..1000). Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(
                names = "--state",
                paramLabel = "STATE",
                description = "Only jobs in this state: queued, running, publishing, completed or failed.")
        String state;

        @Option(
                names = {"-l", "--label"},
                paramLabel = "KEY=VALUE",
                description = "Only jobs whose spec has this label (repeatable: all must match).")
        List<String> labels = new ArrayList<>();

        @Mixin
        JsonOutput output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            var query = new StringBuilder("?limit=" + limit + (state == null ? "" : "&state=" + Gateway.encode(state)));
            labels.forEach(label -> query.append("&label=").append(Gateway.encode(label)));
            try (Gateway gateway = gatewayOption.open()) {
                return output.print(gateway.getJson("/v1/jobs" + query), ListJobs::list);
            }
        }

        private static void list(JsonNode list) {
            OUT.printf("%-38s %-10s %-5s %s%n", "ID", "STATE", "EXIT", "CREATED");
            for (JsonNode job : list.path("jobs")) {
                JsonNode execution = Jobs.lastExecution(job);
                JsonNode exit = execution == null ? null : execution.get("exitCode");
                OUT.printf(
                        "%-38s %-10s %-5s %s%n",
                        job.path("jobID").asText(),
                        job.path("state").asText(),
                        exit == null ? "-" : exit.asText(),
                        job.path("createdAt").asText("-"));
            }
            int total = list.path("total").asInt();
            int shown = list.path("jobs").size();
            if (total > shown) {
                ERR.println("(" + shown + " of " + total + "; --limit shows more)");
            }
        }
    }
}
