package dev.cidra.load.chaos;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fault suite's command line (load-tests/chaos/run.sh runs it):
 * {@code Chaos full|reduced BASE_PORT RESULTS.md WORK_DIR -- CIDRA_COMMAND...}. Prints the results table and appends it
 * to RESULTS.md; exits 1 if a job or record was lost, duplicated or stuck.
 */
public final class Chaos {
    private Chaos() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator != 4 || args.length < 6) {
            System.err.println("usage: Chaos full|reduced BASE_PORT RESULTS.md WORK_DIR -- CIDRA_COMMAND...");
            System.exit(2);
        }
        Scale scale = Scale.named(args[0]);
        int basePort = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);
        Path work = Files.createDirectories(Path.of(args[3]));
        List<String> cidra = List.of(args).subList(separator + 1, args.length);
        Instant started = Instant.now();
        double loadBefore = loadAverage();
        var platform = new LocalPlatform(cidra, ChaosRun.home(work), basePort);
        ChaosRun.Outcome outcome = new ChaosRun(platform, scale, System.err).run();
        String machine = Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.1f", loadBefore) + " before the run and "
                + String.format(Locale.ROOT, "%.1f", loadAverage()) + " after it (the run's own load included)";
        String table = Report.markdown(outcome, started, machine);
        System.out.println(table);
        Files.writeString(
                results, "\n" + table, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!outcome.intact()) {
            System.err.println("chaos: something was lost, duplicated or stuck");
            System.exit(1);
        }
    }

    /** The machine's one-minute load average. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
