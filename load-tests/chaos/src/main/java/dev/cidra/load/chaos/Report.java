package dev.cidra.load.chaos;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The results of a run as Markdown: per fault, the synchronous calls in its phase (from the moment it struck until the
 * next one) and how long they failed; then what became of the jobs, the trigger records and the calls.
 */
final class Report {
    private Report() {}

    /**
     * The calls of one phase (sent from when its fault struck until the next one struck), measured from the fault or
     * from when its recovery (the restart) began.
     *
     * @param lastFailureBeforeRecovery the last failed call sent before the restart began: how long the platform
     *     failed calls with the fault in place (with two executors: how long the dead one's partitions were unserved)
     * @param failedAfterRecovery failed calls sent after the restart began
     * @param firstSuccessAfterWhole the first call that succeeded after the restarted process was ready, from then
     *     (zero when one succeeded while it started: another replica served)
     */
    record PhaseCalls(
            int sent,
            int failed,
            OptionalLong firstSuccess,
            OptionalLong lastFailureBeforeRecovery,
            OptionalLong firstSuccessAfterRecovery,
            long failedAfterRecovery,
            OptionalLong firstSuccessAfterWhole) {
        static PhaseCalls of(List<Load.Call> calls, Fault.Window window, long until) {
            var phase = calls.stream()
                    .filter(call -> call.sentAt() >= window.struck() && call.sentAt() < until)
                    .toList();
            return new PhaseCalls(
                    phase.size(),
                    (int) phase.stream().filter(call -> !call.ok()).count(),
                    phase.stream()
                            .filter(Load.Call::ok)
                            .mapToLong(call -> call.endedAt() - window.struck())
                            .min(),
                    phase.stream()
                            .filter(call -> !call.ok() && call.sentAt() < window.recoveryBegan())
                            .mapToLong(call -> call.sentAt() - window.struck())
                            .max(),
                    phase.stream()
                            .filter(call -> call.ok() && call.sentAt() >= window.recoveryBegan())
                            .mapToLong(call -> call.endedAt() - window.recoveryBegan())
                            .min(),
                    phase.stream()
                            .filter(call -> !call.ok() && call.sentAt() >= window.recoveryBegan())
                            .count(),
                    phase.stream()
                            .filter(call -> call.ok() && call.sentAt() >= window.recoveryBegan())
                            .mapToLong(call -> Math.max(0, call.endedAt() - window.whole()))
                            .min());
        }
    }

    static String markdown(ChaosRun.Outcome outcome, Instant started, String machine) {
        var out = new StringBuilder();
        Scale scale = outcome.scale();
        out.append("## ")
                .append(started.truncatedTo(ChronoUnit.SECONDS))
                .append(" (")
                .append(scale.name())
                .append(")\n\n");
        out.append(machine)
                .append(". Load: ")
                .append(scale.callsPerSecond())
                .append(" calls/s (?timeout=")
                .append(Load.CALL_TIMEOUT)
                .append("), ")
                .append(scale.jobsPerSecond())
                .append(" jobs/s, ")
                .append(scale.recordsPerSecond())
                .append(" trigger records/s, spread over 2 gateways; 2 executors. ")
                .append(seconds(scale.settle().toNanos()))
                .append(" of steady load before each fault; a killed gateway")
                .append(" or executor stays down ")
                .append(seconds(scale.outage().toNanos()))
                .append(", S3 ")
                .append(seconds(scale.s3Outage().toNanos()))
                .append(".\n\n");
        out.append("| Fault | calls (failed) | first success after fault | last failure before restart"
                + " | restart (until ready) | first success after restart began | first success after ready"
                + " | failed after restart began | executor log during fault |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        List<ChaosRun.Phase> phases = outcome.phases();
        for (int i = 0; i < phases.size(); i++) {
            ChaosRun.Phase phase = phases.get(i);
            long until = i + 1 < phases.size() ? phases.get(i + 1).window().struck() : Long.MAX_VALUE;
            var calls = PhaseCalls.of(outcome.calls(), phase.window(), until);
            out.append("| ")
                    .append(phase.fault().description())
                    .append(" | ")
                    .append(calls.sent())
                    .append(" (")
                    .append(calls.failed())
                    .append(")")
                    .append(" | ")
                    .append(seconds(calls.firstSuccess()))
                    .append(" | ")
                    .append(seconds(calls.lastFailureBeforeRecovery()))
                    .append(" | ")
                    .append(seconds(phase.window().whole() - phase.window().recoveryBegan()))
                    .append(" | ")
                    .append(seconds(calls.firstSuccessAfterRecovery()))
                    .append(" | ")
                    .append(seconds(calls.firstSuccessAfterWhole()))
                    .append(" | ")
                    .append(calls.failedAfterRecovery())
                    .append(" | ")
                    .append(phase.executorLog().lines())
                    .append(" lines, ")
                    .append(phase.executorLog().bytes())
                    .append(" bytes |\n");
        }
        Tally.Jobs jobs = outcome.jobs();
        Tally.Records records = outcome.records();
        out.append("\n| Load | accepted | done | failed | lost | duplicated | stuck | other |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        out.append("| jobs | ")
                .append(jobs.accepted())
                .append(" | ")
                .append(jobs.completed())
                .append(" | ")
                .append(jobs.failed())
                .append(" | ")
                .append(jobs.lost())
                .append(" | ")
                .append(jobs.duplicated())
                .append(" | ")
                .append(jobs.stuck())
                .append(" | ")
                .append(jobs.refused())
                .append(" submissions refused or unanswered; ")
                .append(jobs.resultsMissing())
                .append(" completed without their result in S3 |\n");
        out.append("| trigger records | ")
                .append(records.sent())
                .append(" | ")
                .append(records.outputs())
                .append(" | - | ")
                .append(records.lost())
                .append(" | ")
                .append(records.duplicated())
                .append(" | - | ")
                .append(records.refused())
                .append(" sends not acknowledged; ")
                .append(records.wrong())
                .append(" wrong outputs |\n");
        var byStatus = outcome.calls().stream()
                .collect(Collectors.groupingBy(
                        call -> call.status() == 0 ? "no answer" : Integer.toString(call.status()),
                        TreeMap::new,
                        Collectors.counting()));
        long ok = byStatus.getOrDefault("200", 0L);
        out.append("| sync calls | ")
                .append(outcome.calls().size())
                .append(" | ")
                .append(ok)
                .append(" | ")
                .append(outcome.calls().size() - ok)
                .append(" | - | - | - | by status: ")
                .append(byStatus)
                .append(" |\n");
        if (!jobs.failedWhy().isEmpty()) {
            out.append("\nFailed jobs by reason:\n\n");
            for (Map.Entry<String, Integer> why : jobs.failedWhy().entrySet()) {
                out.append("- ")
                        .append(why.getValue())
                        .append(" × ")
                        .append(why.getKey().replace('\n', ' '))
                        .append("\n");
            }
        }
        return out.toString();
    }

    private static String seconds(OptionalLong nanos) {
        return nanos.isPresent() ? seconds(nanos.getAsLong()) : "-";
    }

    private static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }
}
