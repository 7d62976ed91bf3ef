package dev.cidra.cli.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cidra.executor.Limits;
import dev.cidra.registry.UnixFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cidra wasm}: WebAssembly jobs on the platform. */
@Command(
        name = "wasm",
        mixinStandardHelpOptions = true,
        description = "Run WebAssembly modules as jobs on the platform, through its gateway.",
        footer = {"", "Examples:", "  cidra wasm run hello.wasm", "  cidra wasm run --help"},
        subcommands = {WasmCommand.Run.class, CommandLine.HelpCommand.class})
public final class WasmCommand {
    /** {@code cidra wasm run}: builds a job spec from flags, submits it and, by default, waits for it. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run a WASI preview 1 module as a job: upload it if needed, submit the job (POST /v1/jobs), show its"
                        + " progress on stderr, then print the guest's stdout to stdout and its stderr to stderr and"
                        + " exit with the guest's exit code (125 if the job failed before the guest ran, 124 timed"
                        + " out, 134 trapped).",
                "MODULE is " + ModuleSource.FORMS + ". Arguments after ENTRYPOINT, or after --, go to the guest."
            },
            footer = {
                "",
                "Examples:",
                "  cidra wasm run hello.wasm",
                "  cidra wasm run wordcount.wasm -i s3://data/in/ -o out:/outputs -- /inputs",
                "  cidra wasm run bafkrei... main -e LANG=C -i https://x.org/a.txt,dst=/data",
                "  cidra wasm run ipfs://bafkrei... -p s3://results/{jobID} --timeout 2m",
                "  cidra wasm run app.wasm -I math=./math.wasm --id-only",
                "  cidra wasm run main.wasm -I ./lib.wasm          # links imports from lib's name or CID (bafk.../Qm...)",
                "  cidra wasm run prog.wasm _start -v bafy...:inputs -u https://x.org/a.txt   # Bacalhau's forms",
                "  cidra wasm run main.wasm --import-module-urls https://x.org/lib.wasm"
            })
    static final class Run implements Callable<Integer> {
        @Parameters(
                paramLabel = "MODULE [ENTRYPOINT] [ARGS...]",
                arity = "1..*",
                description = "The module, optionally the function to call (default _start), then guest arguments.")
        List<String> positional = new ArrayList<>();

        @Option(
                names = {"--entrypoint", "--entry-point"},
                paramLabel = "NAME",
                description = "Exported function to call instead of _start (or give it after MODULE).")
        String entrypoint;

        @Option(
                names = {"-i", "--input"},
                paramLabel = "SRC[,dst=PATH][,rw=true]",
                description = "Data mounted read-only at PATH (default /inputs) (repeatable): s3://BUCKET/KEY (a"
                        + " prefix when it ends in /), ipfs://CID, http(s)://URL, or file:///DIR (allow-listed on the"
                        + " executor; rw=true mounts it read-write if allowed).")
        List<String> inputs = new ArrayList<>();

        @Option(
                names = {"-v", "--input-volumes"},
                paramLabel = "CID:PATH",
                description =
                        "Bacalhau's form: the IPFS content CID mounted at PATH (/ added if missing) (repeatable).")
        List<String> volumes = new ArrayList<>();

        @Option(
                names = {"-u", "--input-urls"},
                paramLabel = "URL",
                description = "Bacalhau's form: the URL downloaded into /inputs (repeatable).")
        List<String> urls = new ArrayList<>();

        @Option(
                names = "--import-module-urls",
                paramLabel = "URL",
                split = ",",
                description = "Bacalhau's form: a module downloaded by the executor and linked under its CIDs and its"
                        + " file name without .wasm (repeatable).")
        List<String> importUrls = new ArrayList<>();

        @Option(
                names = "--import-module-volumes",
                paramLabel = "CID:PATH",
                split = ",",
                description = "Bacalhau's form: the IPFS module CID, linked under its CIDs and PATH (repeatable).")
        List<String> importVolumes = new ArrayList<>();

        @Option(
                names = {"-e", "--env"},
                paramLabel = "K=V",
                description = "Guest environment variable (repeatable).")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(
                names = {"-o", "--output"},
                paramLabel = "NAME:PATH",
                description = "A guest directory published with the result under NAME (repeatable).")
        List<String> outputs = new ArrayList<>();

        @Option(
                names = {"-p", "--publisher"},
                paramLabel = "local|s3://BUCKET/KEY|none",
                defaultValue = "local",
                description = "Where the result (outputs, stdout, stderr, exitCode) goes: local (kept by the"
                        + " executor, served by the gateway), s3://BUCKET/KEY-TEMPLATE (a .tar.gz; the key may hold"
                        + " {jobID}, {executionID}, {nodeID}, {date}, {time}), or none. Default: ${DEFAULT-VALUE}.")
        String publisher;

        @Option(
                names = {"-I", "--import-module"},
                paramLabel = "[NAME=]MODULE",
                description = "A module linked under import module NAME (default: a file's name without .wasm, else"
                        + " MODULE) and its CIDs (repeatable); MODULE as above.")
        List<String> imports = new ArrayList<>();

        @Option(
                names = "--memory",
                paramLabel = "SIZE",
                description = "Memory limit of the guest, e.g. 128Mi. Default: the gateway's (64Mi).")
        String memory;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                description = "Execution time limit (ms, s, m, h; whole seconds, rounded up). Default: the gateway's.")
        String timeout;

        @Mixin
        WaitOptions wait;

        @Mixin
        GatewayOption gatewayOption;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            List<String> original = spec.commandLine().getParseResult().originalArgs();
            int dashes = original.indexOf("--");
            int afterDashes = dashes < 0 ? 0 : original.size() - dashes - 1;
            List<String> before = positional.subList(0, positional.size() - afterDashes);
            if (before.isEmpty()) {
                throw new IllegalArgumentException("MODULE is missing before --");
            }
            var args = new ArrayList<String>();
            String function = entrypoint;
            if (before.size() > 1) {
                if (entrypoint != null) {
                    throw new IllegalArgumentException("the entrypoint is given twice: as " + before.get(1)
                            + " and as --entrypoint " + entrypoint + "; put guest arguments after --");
                }
                function = before.get(1);
                args.addAll(before.subList(2, before.size()));
            }
            args.addAll(positional.subList(before.size(), positional.size()));
            ObjectNode task = task(args, function);
            try (Gateway gateway = gatewayOption.open()) {
                var modules = gatewayOption.modules(gateway);
                ObjectNode params = (ObjectNode) task.path("Engine").path("Params");
                params.put("EntryModule", modules.resolve(before.getFirst()));
                if (!imports.isEmpty()) {
                    if (!importUrls.isEmpty() || !importVolumes.isEmpty()) {
                        throw new IllegalArgumentException("-I names modules by CID; give the modules of"
                                + " --import-module-urls and --import-module-volumes as -I too, or use only those");
                    }
                    ObjectNode importModules = params.putObject("ImportModules");
                    for (String spec : imports) {
                        importModule(importModules, spec, modules);
                    }
                }
                if (!importUrls.isEmpty() || !importVolumes.isEmpty()) {
                    ArrayNode importModules = params.putArray("ImportModules");
                    importUrls.forEach(url -> importModules.add(input(url + ",dst=", "--import-module-urls")));
                    importVolumes.forEach(volume -> importModules.add(volume(volume, "--import-module-volumes")));
                }
                ObjectNode job = Gateway.JSON.createObjectNode();
                job.put("Type", "batch");
                job.putArray("Tasks").add(task);
                return new Jobs(gateway, System.out, System.err)
                        .run(Gateway.JSON.writeValueAsBytes(job), "application/json", wait);
            }
        }

        /**
         * Links the module {@code spec} ({@code [NAME=]MODULE}) under NAME, its resolved CID and, for a file, every
         * CID of its bytes.
         */
        private static void importModule(ObjectNode importModules, String spec, ModuleSource modules)
                throws IOException, InterruptedException {
            int eq = spec.indexOf('=');
            String module = eq > 0 ? spec.substring(eq + 1) : spec;
            Path file = Path.of(module);
            boolean isFile = !module.contains("://") && Files.isRegularFile(file);
            String name = eq > 0
                    ? spec.substring(0, eq)
                    : isFile ? file.getFileName().toString().replaceFirst("\\.wasm$", "") : module;
            String cid = modules.resolve(module);
            importModules.put(name, cid);
            importModules.put(cid, cid);
            if (isFile) {
                UnixFs.names(Files.readAllBytes(file)).forEach(other -> importModules.put(other, cid));
            }
        }

        /** An {@code ipfs} source from Bacalhau's {@code CID:PATH} (PATH made absolute). */
        private static ObjectNode volume(String text, String flag) {
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException(flag + " " + text + ": must be CID:PATH, e.g. bafy...:/inputs");
            }
            String path = text.substring(colon + 1);
            return input(
                    "ipfs://" + text.substring(0, colon) + ",dst=" + (path.startsWith("/") ? path : "/" + path), flag);
        }

        /** The task of the spec, all but its modules. */
        private ObjectNode task(List<String> args, String function) {
            ObjectNode task = Gateway.JSON.createObjectNode();
            task.put("Name", "main");
            ObjectNode engine = task.putObject("Engine");
            engine.put("Type", "wasm");
            ObjectNode params = engine.putObject("Params");
            if (function != null) {
                params.put("Entrypoint", function);
            }
            if (!args.isEmpty()) {
                ArrayNode parameters = params.putArray("Parameters");
                args.forEach(parameters::add);
            }
            if (!env.isEmpty()) {
                ObjectNode variables = params.putObject("EnvironmentVariables");
                env.forEach(variables::put);
            }
            if (!inputs.isEmpty() || !volumes.isEmpty() || !urls.isEmpty()) {
                ArrayNode sources = task.putArray("InputSources");
                inputs.forEach(input -> sources.add(input(input, "-i")));
                volumes.forEach(volume -> sources.add(volume(volume, "-v")));
                urls.forEach(url -> sources.add(input(url, "-u")));
            }
            if (!outputs.isEmpty()) {
                ArrayNode paths = task.putArray("ResultPaths");
                for (String output : outputs) {
                    int colon = output.indexOf(':');
                    if (colon <= 0 || colon == output.length() - 1) {
                        throw new IllegalArgumentException(
                                "-o " + output + ": must be NAME:PATH, e.g. outputs:/outputs");
                    }
                    paths.addObject().put("Name", output.substring(0, colon)).put("Path", output.substring(colon + 1));
                }
            }
            if (!publisher.equals("none")) {
                task.set("Publisher", publisher(publisher));
            }
            if (memory != null) {
                task.putObject("Resources").put("Memory", memory);
            }
            if (timeout != null) {
                long millis = Limits.parseDuration(timeout).toMillis();
                task.putObject("Timeouts").put("ExecutionTimeout", Math.max(1, (millis + 999) / 1000));
            }
            return task;
        }

        /**
         * An input source of the spec from {@code SRC[,dst=PATH][,rw=true]}; an empty {@code dst=} leaves the Target
         * out (a module source).
         */
        private static ObjectNode input(String text, String flag) {
            String source = text;
            String target = "/inputs";
            String readWrite = null;
            int comma;
            while ((comma = source.lastIndexOf(',')) >= 0) {
                String option = source.substring(comma + 1);
                if (option.startsWith("dst=")) {
                    target = option.substring("dst=".length());
                } else if (option.startsWith("rw=")) {
                    readWrite = option.substring("rw=".length());
                } else {
                    break;
                }
                source = source.substring(0, comma);
            }
            ObjectNode input = Gateway.JSON.createObjectNode();
            ObjectNode sourceNode = input.putObject("Source");
            ObjectNode params = Gateway.JSON.createObjectNode();
            if (source.startsWith("s3://")) {
                String rest = source.substring("s3://".length());
                int slash = rest.indexOf('/');
                if (slash <= 0) {
                    throw new IllegalArgumentException(flag + " " + text + ": an S3 input must be s3://BUCKET/KEY");
                }
                sourceNode.put("Type", "s3");
                params.put("Bucket", rest.substring(0, slash)).put("Key", rest.substring(slash + 1));
            } else if (source.startsWith("ipfs://")) {
                sourceNode.put("Type", "ipfs");
                params.put("CID", source.substring("ipfs://".length()));
            } else if (source.startsWith("http://") || source.startsWith("https://")) {
                sourceNode.put("Type", "urlDownload");
                params.put("URL", source);
            } else if (source.startsWith("file://")) {
                sourceNode.put("Type", "localDirectory");
                params.put("SourcePath", source.substring("file://".length()));
            } else {
                throw new IllegalArgumentException(flag + " " + text
                        + ": the source must be s3://, ipfs://, http(s):// or file:// (an absolute path)");
            }
            if (readWrite != null) {
                if (!source.startsWith("file://")) {
                    throw new IllegalArgumentException(flag + " " + text + ": rw= applies to file:// inputs only");
                }
                params.put("ReadWrite", readWrite);
            }
            sourceNode.set("Params", params);
            if (!target.isEmpty()) {
                input.put("Target", target);
            }
            return input;
        }
    }

    /**
     * A job spec's {@code Publisher} from {@code local} or {@code s3://BUCKET/KEY-TEMPLATE}.
     *
     * @throws IllegalArgumentException naming the flag's value and the accepted forms
     */
    static ObjectNode publisher(String publisher) {
        ObjectNode node = Gateway.JSON.createObjectNode();
        if (publisher.equals("local")) {
            node.put("Type", "local");
            return node;
        }
        String rest = publisher.startsWith("s3://") ? publisher.substring("s3://".length()) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("-p " + publisher + ": must be local or s3://BUCKET/KEY-TEMPLATE");
        }
        node.put("Type", "s3");
        node.putObject("Params").put("Bucket", rest.substring(0, slash)).put("Key", rest.substring(slash + 1));
        return node;
    }
}
