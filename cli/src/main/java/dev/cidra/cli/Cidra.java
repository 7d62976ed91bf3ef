package dev.cidra.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cidra.cli.api.GatewayException;
import dev.cidra.cli.api.JobCommand;
import dev.cidra.cli.api.ModuleCommand;
import dev.cidra.cli.api.NodeCommand;
import dev.cidra.cli.api.TriggerCommand;
import dev.cidra.cli.api.WasmCommand;
import dev.cidra.cli.platform.DemoCommand;
import dev.cidra.cli.platform.DownCommand;
import dev.cidra.cli.platform.StatusCommand;
import dev.cidra.cli.platform.TokenCommand;
import dev.cidra.cli.platform.UpCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cidra} command. Errors print one line on stderr and exit non-zero. */
@Command(
        name = "cidra",
        mixinStandardHelpOptions = true,
        versionProvider = Cidra.Version.class,
        description = "Run WebAssembly (WASI preview 1) functions addressed by IPFS CID, in-process or as jobs on the"
                + " platform, and the local platform.")
public final class Cidra {
    /** Exit code for a command used wrongly (bad flag, missing file). */
    static final int USAGE = 2;

    /** The subcommands, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            ExecCommand.class,
            CidCommand.class,
            WasmCommand.class,
            JobCommand.class,
            JobCommand.Get.class,
            ModuleCommand.class,
            TriggerCommand.class,
            NodeCommand.class,
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            DemoCommand.class,
            TokenCommand.class,
            CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The command with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command for {@code args}: with only the subcommand their first names, else (help, the version, a mistyped
     * name) with all. Picocli builds a command's model, by reflection over its classes, when it is added: about 0.3 s
     * for every subcommand in a fresh JVM, whose classes (an old class-file version) the JDK's AOT cache cannot hold.
     */
    static CommandLine commandLine(String... args) {
        var cli = new CommandLine(new Cidra());
        SUBCOMMANDS.stream()
                .filter(command -> args.length > 0
                        && command != CommandLine.HelpCommand.class
                        && names(command).contains(args[0]))
                .findFirst()
                .map(List::<Class<?>>of)
                .orElse(SUBCOMMANDS)
                .forEach(cli::addSubcommand);
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("cidra: " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("cidra: " + message(e));
            return e instanceof IllegalArgumentException ? USAGE : 1;
        });
        return cli;
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        var names = new ArrayList<String>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }

    /**
     * The exception's message. What the gateway answered, or a JSON parser's complaint about it, is put on one line
     * (its line breaks become spaces); the platform's own failures keep theirs (e.g. the last lines of a log).
     */
    private static String message(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof GatewayException || e instanceof JsonProcessingException
                ? message.strip().replaceAll("\\s*\\R\\s*", " ")
                : message;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cidra.class.getPackage().getImplementationVersion();
            return new String[] {"cidra " + (version == null ? "dev" : version)};
        }
    }
}
