package dev.cidra.cli.api;

import picocli.CommandLine.Option;

/** Whether a command that submits a job waits for it. */
final class WaitOptions {
    @Option(
            names = "--wait",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Wait for the job to end, showing its progress on stderr, then print its stdout and stderr"
                    + " and exit with its exit code (default). --no-wait prints the job id and returns.")
    boolean wait;

    @Option(names = "--id-only", description = "Print only the job id on stdout and return at once.")
    boolean idOnly;

    /** Whether to wait for the job. */
    boolean waits() {
        return wait && !idOnly;
    }
}
