package dev.cidra.cli.platform;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option of the platform commands. */
public final class HomeOption {
    @Option(
            names = "--home",
            paramLabel = "DIR",
            defaultValue = "${env:CIDRA_HOME:-${sys:user.home}/.cidra}",
            description = "The platform's state directory (data, logs, pid files). Default: $CIDRA_HOME, which the"
                    + " ./cidra launcher sets to .cidra/ of the repository (${DEFAULT-VALUE}).")
    Path dir;

    /** The state directory given, or its default. */
    public Path dir() {
        return dir;
    }
}
