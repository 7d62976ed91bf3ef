package dev.cidra.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
    @Test
    void everyCommandsHelpHasExamples() {
        var missing = new ArrayList<String>();
        collect(Cidra.commandLine(), missing);
        assertTrue(missing.isEmpty(), "no Examples in the help of " + missing);
    }

    private static void collect(CommandLine command, List<String> missing) {
        String name = command.getCommandSpec().qualifiedName();
        boolean root = command.getParent() == null;
        if (!root && !name.endsWith(" help") && !command.getUsageMessage().contains("\nExamples:\n")) {
            missing.add(name);
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, missing));
    }
}
