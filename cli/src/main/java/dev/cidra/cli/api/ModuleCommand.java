package dev.cidra.cli.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cidra module}: modules stored in the platform. */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = "Upload modules to the platform and download them by CID, through the gateway.",
        footer = {"", "Examples:", "  cidra module put hello.wasm", "  cidra module get bafkrei... -o hello.wasm"},
        subcommands = {ModuleCommand.Put.class, ModuleCommand.Get.class, CommandLine.HelpCommand.class})
public final class ModuleCommand {
    /** {@code cidra module put}. */
    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = "Upload a module (POST /v1/modules; validated by the gateway) and print its CID. Uploading"
                    + " the same bytes again stores nothing new and prints the same CID.",
            footer = {
                "",
                "Examples:",
                "  cidra module put hello.wasm",
                "  cid=$(cidra module put app.wasm) && cidra wasm run $cid"
            })
    static final class Put implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm file.")
        Path file;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such file");
            }
            try (Gateway gateway = gatewayOption.open()) {
                System.out.println(gatewayOption.modules(gateway).upload(file, file.toString()));
                return 0;
            }
        }
    }

    /** {@code cidra module get}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Download a module by CID (GET /v1/modules/{cid}/content; verified by the gateway against"
                    + " its CID) to a file or stdout.",
            footer = {
                "",
                "Examples:",
                "  cidra module get bafkrei... -o app.wasm",
                "  cidra module get bafkrei... | wasm-objdump -x -"
            })
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CID", description = "The module's CID.")
        String cid;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write the module here (replaced if it exists). Default: stdout.")
        Path output;

        @Mixin
        GatewayOption gatewayOption;

        @Override
        public Integer call() throws IOException, InterruptedException {
            try (Gateway gateway = gatewayOption.open()) {
                var response = gateway.open(gateway.request("/v1/modules/" + Gateway.encode(cid) + "/content")
                        .GET());
                try (InputStream body = response.body()) {
                    if (output == null) {
                        OutputStream out = System.out;
                        body.transferTo(out);
                        out.flush();
                    } else {
                        Path partial = output.resolveSibling(output.getFileName() + ".partial");
                        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return 0;
            }
        }
    }
}
