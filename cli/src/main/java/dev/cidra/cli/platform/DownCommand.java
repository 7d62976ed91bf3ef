package dev.cidra.cli.platform;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cidra down}: stops what {@code cidra up} started. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = {
            "Stop the processes `cidra up` started (the executors, the gateways, S3Proxy, Kafka, in that order), each"
                    + " by its recorded pid: SIGTERM, then SIGKILL"
                    + " after 30 s. A recorded pid is only signalled if it is still the process `up` started. Data"
                    + " stays in the state directory. If nothing runs, says so and exits 0."
        },
        footer = {"", "Examples:", "  cidra down", "  cidra down --home /tmp/cidra-demo"})
public final class DownCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Platform.of(PlatformHome.of(home.dir), spec).down();
    }
}
