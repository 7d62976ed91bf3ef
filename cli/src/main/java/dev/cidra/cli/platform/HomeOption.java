package dev.cidra.cli.platform;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option of the platform commands. */
final class HomeOption {
    @Option(
            names = "--home",
            paramLabel = "DIR",
            defaultValue = "${env:CIDRA_HOME:-${sys:user.home}/.cidra}",
            description = "The platform's state directory (data, logs, pid files). Default: $CIDRA_HOME, which the"
                    + " ./cidra launcher sets to .cidra/ of the repository (${DEFAULT-VALUE}).")
    Path dir;
}
