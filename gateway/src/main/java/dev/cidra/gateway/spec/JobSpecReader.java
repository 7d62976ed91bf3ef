package dev.cidra.gateway.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cidra.contract.Deterministic;
import dev.cidra.contract.InputSource;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.ModuleSources;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.ResultPath;
import dev.cidra.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a job spec shaped like Bacalhau's (JSON or YAML) into a {@link JobRequest}: {@code {Name?, Type?: batch,
 * Count?: 1, Tasks: [one task]}}, optionally wrapped as {@code {"Job": {...}}}. A {@code Count} above 1 (at most
 * {@code cidra.jobs.max-count}) asks for a re-execution check, whose verdict compares the executions' result CIDs: it
 * needs a publisher that keeps each execution's result apart (local, or an s3 {@code Key} holding
 * {@code {executionID}}). Without {@code Deterministic: true} the check still runs, and tells whether the program is
 * reproducible as it is. Strict: an unknown field, a wrong type,
 * or a value the contract refuses is an {@link InvalidRequestException} whose message starts with the field's path
 * ({@code Tasks[0].InputSources[1].Source.Params: ...}). Stateless and thread-safe.
 */
@Singleton
public class JobSpecReader {
    private static final Set<String> JOB = Set.of("Name", "Type", "Count", "Tasks", "Labels", "Meta");
    private static final Set<String> TASK =
            Set.of("Name", "Engine", "InputSources", "ResultPaths", "Publisher", "Resources", "Network", "Timeouts");
    private static final Set<String> TYPE_AND_PARAMS = Set.of("Type", "Params");
    private static final Set<String> WASM_PARAMS = Set.of(
            "EntryModule",
            "Entrypoint",
            "Parameters",
            "EnvironmentVariables",
            "ImportModules",
            "Deterministic",
            "RandomSeed");
    private static final Set<String> INPUT = Set.of("Source", "Target", "Alias");
    private static final Set<String> RESULT_PATH = Set.of("Name", "Path");
    private static final Set<String> RESOURCES = Set.of("CPU", "Memory", "Disk");
    private static final Set<String> NETWORK = Set.of("Type");
    /** The largest timeout a spec may give: ten years. */
    private static final long MAX_TIMEOUT_SECONDS = 315_360_000L;

    private static final Set<String> TIMEOUTS = Set.of("ExecutionTimeout", "QueueTimeout", "TotalTimeout");
    private static final List<String> INPUT_TYPES =
            List.of(InputSource.S3, InputSource.URL, InputSource.IPFS, InputSource.LOCAL_DIRECTORY);

    private final SpecDefaults defaults;
    private final int maxCount;

    JobSpecReader(GatewayConfig config) {
        this.defaults = SpecDefaults.of(config);
        this.maxCount = config.jobs().maxCount();
    }

    /** The spec's {@code Count}: 1 when absent. Only meaningful for a spec {@link #read} accepted. */
    public static int count(JsonNode root) {
        Long count = job(root).get("Count").integer();
        return count == null ? 1 : Math.toIntExact(count);
    }

    private static SpecNode job(JsonNode root) {
        SpecNode job = new SpecNode(root, "");
        return root.size() == 1 && root.has("Job") ? job.get("Job") : job;
    }

    /**
     * The request a spec describes, with the ids and time the gateway assigned.
     *
     * @throws InvalidRequestException naming the field path and the rule it breaks
     */
    public JobRequest read(JsonNode root, String jobId, String executionId, Instant submittedAt) {
        SpecNode job = job(root);
        job.object(JOB);
        job.get("Name").text();
        String type = job.get("Type").text();
        if (type != null && !type.equals("batch")) {
            throw job.get("Type")
                    .error("only batch jobs are supported (service, daemon and ops jobs are not), not \"" + type
                            + "\"");
        }
        Map<String, String> labels = job.get("Labels").textMap();
        Map<String, String> meta = job.get("Meta").textMap();
        List<SpecNode> tasks = job.get("Tasks").elements();
        if (tasks.size() != 1) {
            throw job.get("Tasks").error("must hold exactly one task, not " + tasks.size());
        }
        SpecNode task = tasks.getFirst().object(TASK);
        task.get("Name").requiredText();
        network(task.get("Network"));
        SpecNode engine = task.get("Engine").object(TYPE_AND_PARAMS);
        if (!engine.present()) {
            throw engine.error("is required");
        }
        String engineType = engine.get("Type").requiredText();
        if (!engineType.equalsIgnoreCase("wasm")) {
            throw engine.get("Type")
                    .error("only wasm is supported (Cidra runs WebAssembly guests; docker and other engines are not),"
                            + " not \"" + engineType + "\"");
        }
        SpecNode params = engine.get("Params").object(WASM_PARAMS);
        SpecNode entryNode = params.get("EntryModule");
        InputSource entrySource = entryNode.isObject() ? input(entryNode, false) : null;
        String entryModule;
        if (entrySource == null) {
            entryModule = ModuleCids.required(entryNode);
        } else if (InputSource.IPFS.equals(entrySource.type())
                && !entrySource.param("CID").contains("/")) { // CID/path: a file of a kept result, fetched as a source
            entryModule = ModuleCids.check(entryNode.get("Source").get("Params").get("CID"), entrySource.param("CID"));
            entrySource = null;
        } else {
            entryModule = null;
        }
        String entrypoint = params.get("Entrypoint").text();
        if (entrypoint != null && entrypoint.isBlank()) {
            throw params.get("Entrypoint").error("must not be blank; leave it out for _start");
        }
        List<String> args = params.get("Parameters").textList();
        Map<String, String> env = EnvironmentVariables.read(params.get("EnvironmentVariables"));
        SpecNode importNode = params.get("ImportModules");
        Map<String, String> imports = importNode.isArray() ? null : importNode.textMap();
        if (imports != null) {
            imports.forEach((name, cid) -> ModuleCids.check(importNode.get(name), cid));
        }
        List<InputSource> importSources = importNode.isArray()
                ? importNode.elements().stream().map(node -> input(node, false)).toList()
                : List.of();
        ModuleSources modules =
                entrySource == null && importSources.isEmpty() ? null : new ModuleSources(entrySource, importSources);
        Deterministic deterministic = deterministic(params);
        List<InputSource> inputs = task.get("InputSources").elements().stream()
                .map(node -> input(node, true))
                .toList();
        List<ResultPath> resultPaths = task.get("ResultPaths").elements().stream()
                .map(path -> {
                    path.object(RESULT_PATH);
                    return path.build(() -> new ResultPath(
                            path.get("Name").text(), path.get("Path").text()));
                })
                .toList();
        Publisher publisher = PublisherSpec.read(task.get("Publisher"));
        count(job.get("Count"), publisher);
        SpecNode resources = task.get("Resources").object(RESOURCES);
        resources.get("CPU").text();
        SpecNode memoryNode = resources.get("Memory");
        long memory = memoryNode.present()
                ? memoryNode.build(() -> GuestMemory.bytes(memoryNode.text(), "memory"))
                : defaults.memoryBytes();
        SpecNode diskNode = resources.get("Disk");
        long disk = diskNode.present() ? diskNode.build(() -> Quantities.bytes(diskNode.text(), "disk")) : 0;
        SpecNode timeouts = task.get("Timeouts").object(TIMEOUTS);
        Duration timeout = timeout(timeouts);
        Long queueTimeout = seconds(timeouts.get("QueueTimeout"));
        Long totalTimeout = seconds(timeouts.get("TotalTimeout"));
        return task.build(() -> new JobRequest(
                jobId,
                executionId,
                submittedAt,
                entryModule,
                entrypoint,
                args,
                env,
                imports,
                inputs,
                resultPaths,
                publisher,
                memory,
                timeout.toMillis(),
                disk,
                null,
                deterministic,
                modules,
                labels,
                meta,
                queueTimeout == null ? 0 : queueTimeout * 1000,
                totalTimeout == null ? 0 : totalTimeout * 1000));
    }

    /**
     * Checks {@code Count}: 1 to {@link #maxCount}, and above 1 only for a job whose publisher keeps every execution's
     * result.
     */
    private void count(SpecNode node, Publisher publisher) {
        Long count = node.integer();
        if (count == null || count == 1) {
            return;
        }
        if (count < 1) {
            throw node.error("must be at least 1, not " + count);
        }
        if (count > maxCount) {
            throw node.error(
                    count + " is above the maximum of " + maxCount + " executions of one job (cidra.jobs.max-count)");
        }
        if (publisher == null) {
            throw node.error(count + " executions are compared by their result CIDs, which only a published result"
                    + " has: give Tasks[0].Publisher");
        }
        if (Publisher.S3.equals(publisher.type())
                && !publisher.params().get("Key").contains("{executionID}")) {
            throw node.error(count + " executions keep a result each: the publisher's Key must hold {executionID},"
                    + " not \"" + publisher.params().get("Key") + "\"");
        }
    }

    /** {@code Deterministic: true} with an optional {@code RandomSeed}; null when not deterministic. */
    private static Deterministic deterministic(SpecNode params) {
        Boolean deterministic = params.get("Deterministic").bool();
        Long seed = params.get("RandomSeed").integer();
        if (seed != null && !Boolean.TRUE.equals(deterministic)) {
            throw params.get("RandomSeed").error("seeds a deterministic run only: set Deterministic: true");
        }
        return Boolean.TRUE.equals(deterministic) ? new Deterministic(seed) : null;
    }

    private static void network(SpecNode network) {
        network.object(NETWORK);
        String type = network.get("Type").text();
        if (network.present() && (type == null || !type.equalsIgnoreCase("None"))) {
            throw network.get("Type")
                    .error("only None is supported for wasm tasks (guests have no network), not "
                            + (type == null ? "nothing" : "\"" + type + "\""));
        }
    }

    /**
     * An input source at {@code input}, {@code {Source: {Type, Params}, Target?, Alias?}}.
     *
     * @param mounted whether it is mounted (an input), so needs a Target; a module source's Target is optional
     */
    private InputSource input(SpecNode input, boolean mounted) {
        input.object(INPUT);
        SpecNode source = input.get("Source").object(TYPE_AND_PARAMS);
        if (!source.present()) {
            throw source.error("is required");
        }
        String type = source.get("Type").requiredText();
        if (!INPUT_TYPES.contains(type)) {
            throw source.get("Type")
                    .error("must be one of " + String.join(", ", INPUT_TYPES) + ", not \"" + type + "\"");
        }
        Map<String, String> params = source.get("Params").textMap();
        String target = mounted
                ? input.get("Target").requiredText()
                : input.get("Target").text();
        String alias = input.get("Alias").text();
        try {
            return new InputSource(type, params, target, alias);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            SpecNode at = message.startsWith("input target")
                    ? input.get("Target")
                    : message.startsWith("alias") ? input.get("Alias") : source.get("Params");
            throw at.error(message);
        }
    }

    private Duration timeout(SpecNode timeouts) {
        Long execution = seconds(timeouts.get("ExecutionTimeout"));
        Long total = seconds(timeouts.get("TotalTimeout"));
        if (execution == null || execution == 0) {
            return total == null || total == 0
                    ? defaults.timeout()
                    : min(defaults.timeout(), Duration.ofSeconds(total));
        }
        Duration timeout = Duration.ofSeconds(execution);
        if (timeout.compareTo(defaults.maxTimeout()) > 0) {
            throw timeouts.get("ExecutionTimeout")
                    .error(execution + " seconds is above the limit of "
                            + defaults.maxTimeout().toSeconds() + " seconds");
        }
        if (total != null && total > 0 && execution > total) {
            throw timeouts.get("ExecutionTimeout")
                    .error(execution + " seconds is above TotalTimeout (" + total + " seconds)");
        }
        return timeout;
    }

    /** Non-negative whole seconds up to {@value #MAX_TIMEOUT_SECONDS} (0 means the default); null if absent. */
    private static Long seconds(SpecNode node) {
        Long seconds = node.integer();
        if (seconds != null && (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS)) {
            throw node.error("must be a number of seconds from 0 to " + MAX_TIMEOUT_SECONDS + ", not " + seconds);
        }
        return seconds;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
