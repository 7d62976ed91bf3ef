package dev.cidra.cli.platform;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cidra status}: which parts of the local platform run, and where. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show which parts of the local platform run (by their recorded pids) and their URLs.",
        footer = {"", "Examples:", "  cidra status", "  cidra status --home /tmp/cidra-demo"})
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Platform.of(PlatformHome.of(home.dir), spec).status();
    }
}
