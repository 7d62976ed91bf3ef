package dev.cidra.load.chaos;

import dev.cidra.registry.S3Connection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the fault suite: starts the platform ({@code cidra up --gateways 2 --executors 2}), loads the word-count
 * function and its inputs ({@code cidra demo}) and a trigger on it, drives the {@link Load} while it injects every
 * {@link Fault} in turn (each after a settling time), then stops the load, lets the jobs drain and counts
 * ({@link Tally}). Stops the platform at the end, however the run ends.
 */
final class ChaosRun {
    static final String BUCKET = "cidra-demo";
    static final String RESULT_PREFIX = "chaos/";
    static final String INPUT_TOPIC = "chaos.in";
    static final String OUTPUT_TOPIC = "chaos.out";

    /** The demo's word count over its inputs, published to S3 under {@link #RESULT_PREFIX}. */
    private static final String JOB_SPEC = """
            {"Tasks": [{
              "Name": "count",
              "Engine": {"Type": "wasm", "Params": {"EntryModule": "%s", "Parameters": ["/inputs"]}},
              "InputSources": [{"Source": {"Type": "s3", "Params": {"Bucket": "cidra-demo", "Key": "inputs/"}},
                                "Target": "/inputs"}],
              "Publisher": {"Type": "s3", "Params": {"Bucket": "cidra-demo", "Key": "chaos/{jobID}"}}
            }]}
            """;

    private static final Pattern CID = Pattern.compile("CID (\\S+)");
    private static final Pattern S3_CREDENTIALS =
            Pattern.compile("S3 credentials +access key (\\S+), secret key (\\S+)");

    /** How each fault went, and the counts. */
    record Outcome(
            Scale scale,
            String statusAfterUp,
            List<Phase> phases,
            List<Load.Call> calls,
            Tally.Jobs jobs,
            Tally.Records records) {
        /** Whether no job or record was lost, duplicated or stuck, and every completed job's result is in S3. */
        boolean intact() {
            return jobs.lost() == 0
                    && jobs.duplicated() == 0
                    && jobs.stuck() == 0
                    && jobs.resultsMissing() == 0
                    && records.lost() == 0
                    && records.duplicated() == 0
                    && records.wrong() == 0;
        }
    }

    /** One fault: when it struck and recovered, and the executors' log lines written meanwhile. */
    record Phase(Fault fault, Fault.Window window, LocalPlatform.LogSize executorLog) {}

    private final LocalPlatform platform;
    private final Scale scale;
    private final PrintStream progress;

    ChaosRun(LocalPlatform platform, Scale scale, PrintStream progress) {
        this.platform = platform;
        this.scale = scale;
        this.progress = progress;
    }

    Outcome run() throws IOException, InterruptedException {
        try {
            return runOnPlatform();
        } finally {
            LocalPlatform.Run down = platform.down();
            progress.println("chaos: cidra down: " + down.stdout().strip().replace('\n', ';'));
        }
    }

    private Outcome runOnPlatform() throws IOException, InterruptedException {
        progress.println("chaos: starting 2 gateways and 2 executors in " + platform.home());
        LocalPlatform.Run up = platform.up();
        String status = platform.status().stdout();
        progress.print(status);
        Matcher credentials = S3_CREDENTIALS.matcher(up.stdout());
        if (!credentials.find()) {
            throw new IllegalStateException("cidra up printed no S3 credentials: " + up.stdout());
        }
        var s3 = new S3Connection(
                Optional.of(platform.s3Endpoint()),
                "us-east-1",
                Optional.of(credentials.group(1)),
                Optional.of(credentials.group(2)));
        LocalPlatform.Run demo = platform.cli("demo");
        Matcher cid = CID.matcher(demo.stderr());
        if (demo.exit() != 0 || !cid.find()) {
            throw new IllegalStateException("cidra demo failed: " + demo.stderr() + demo.stdout());
        }
        LocalPlatform.Run trigger = platform.cli(
                "trigger",
                "create",
                "chaos",
                "--topic",
                INPUT_TOPIC,
                "--module",
                cid.group(1),
                "--output-topic",
                OUTPUT_TOPIC);
        if (trigger.exit() != 0) {
            throw new IllegalStateException("cidra trigger create failed: " + trigger.stderr());
        }
        var phases = new ArrayList<Phase>();
        Load load = new Load(platform, cid.group(1), JOB_SPEC, INPUT_TOPIC);
        try {
            load.start(scale.callsPerSecond(), scale.jobsPerSecond(), scale.recordsPerSecond());
            for (Fault fault : scale.faults()) {
                LocalPlatform.pause(scale.settle());
                progress.println("chaos: " + Instant.now() + " " + fault.description());
                var before = executorLogs();
                Fault.Window window = fault.inject(
                        platform,
                        fault == Fault.S3_OUTAGE || fault == Fault.SLOW_S3 ? scale.s3Outage() : scale.outage());
                phases.add(new Phase(fault, window, executorLogs().minus(before)));
                progress.printf(
                        "chaos:   recovered %.1f s after it struck%n", (window.whole() - window.struck()) / 1e9);
            }
            LocalPlatform.pause(scale.settle());
        } finally {
            load.close();
        }
        progress.println("chaos: load stopped; waiting for " + load.jobIds.size() + " jobs and "
                + load.recordsSent.size() + " records");
        Tally.Jobs jobs = Tally.jobs(
                platform, Set.copyOf(load.jobIds), load.refusals.size(), BUCKET, RESULT_PREFIX, s3, scale.drain());
        Tally.Records records = Tally.records(
                platform, Map.copyOf(load.recordsSent), load.recordsRefused.get(), OUTPUT_TOPIC, scale.drain());
        return new Outcome(scale, status, phases, load.callsSoFar(), jobs, records);
    }

    private LocalPlatform.LogSize executorLogs() throws IOException {
        var total = new LocalPlatform.LogSize(0, 0);
        for (int n = 1; n <= LocalPlatform.EXECUTORS; n++) {
            total = total.plus(platform.logSize(LocalPlatform.id("executor", n)));
        }
        return total;
    }

    /** A fresh state directory under {@code parent}. */
    static Path home(Path parent) throws IOException {
        return java.nio.file.Files.createTempDirectory(parent, "chaos-home");
    }
}
