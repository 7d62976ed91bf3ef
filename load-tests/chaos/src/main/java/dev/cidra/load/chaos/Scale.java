package dev.cidra.load.chaos;

import java.time.Duration;
import java.util.List;

/**
 * How much load and how long each phase of a run: the full suite ({@code run.sh}) or the reduced one of the build.
 *
 * @param callsPerSecond synchronous calls, alternating between the gateways
 * @param jobsPerSecond job submissions, alternating between the gateways
 * @param recordsPerSecond records to the trigger's input topic
 * @param settle load without a fault before each fault (and before the first)
 * @param outage how long a killed gateway or executor stays down before its restart
 * @param s3Outage how long S3 stays stopped, and how long it stays slow
 * @param drain how long the jobs may take to finish once the load stopped before they count as stuck
 * @param faults the faults, in the order they are injected
 */
record Scale(
        String name,
        double callsPerSecond,
        double jobsPerSecond,
        double recordsPerSecond,
        Duration settle,
        Duration outage,
        Duration s3Outage,
        Duration drain,
        List<Fault> faults) {
    /** The full suite: the rates (calls at 20/s), a 30 s S3 outage, every fault. */
    static final Scale FULL = new Scale(
            "full",
            20,
            2,
            10,
            Duration.ofSeconds(20),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            List.of(Fault.values()));

    /** The build's: one fault of each kind (one executor, a gateway, the broker, S3 down, S3 slow), small counts. */
    static final Scale REDUCED = new Scale(
            "reduced",
            4,
            0.5,
            2,
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            Duration.ofMinutes(3),
            List.of(Fault.EXECUTOR_WITH_ANOTHER_ALIVE, Fault.GATEWAY, Fault.BROKER, Fault.S3_OUTAGE, Fault.SLOW_S3));

    static Scale named(String name) {
        return switch (name) {
            case "full" -> FULL;
            case "reduced" -> REDUCED;
            default -> throw new IllegalArgumentException("scale must be full or reduced, not " + name);
        };
    }
}
