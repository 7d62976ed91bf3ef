import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { consistencyErrors, K8S_DIR, overlays, parseYaml, render, schemaErrors, sourceFacts } from "./manifests.mjs";

const facts = sourceFacts();
const clone = (objects) => structuredClone(objects);
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe("sources", () => {
  it("yield the facts the checks rely on", () => {
    assert.ok(facts.topics.topics.includes("cidra.triggers"), "Topics.all() lists cidra.triggers");
    assert.deepEqual([...facts.topics.compacted].sort(), ["cidra.job-cancellations", "cidra.job-events", "cidra.nodes", "cidra.triggers"]);
    assert.deepEqual(facts.groups.suffixByTopic, { "cidra.invocations": "", "cidra.jobs": "-jobs" });
    assert.equal(facts.groups.groupId, "cidra-executor");
    assert.deepEqual(facts.ports, { "cidra-gateway": 8080, "cidra-executor": 8081 });
    assert.ok(facts.jitFlags.includes("-XX:+EnableJVMCI"));
    assert.ok(facts.meters.names.has("cidra.invocation.duration"));
  });
});

assert.deepEqual(overlays(), ["dev", "prod"]);

for (const overlay of overlays()) {
  describe(`overlay ${overlay}`, () => {
    const objects = render(join(K8S_DIR, "overlays", overlay));

    it("renders every kind the platform needs", () => {
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of ["Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "ScaledObject", "PodDisruptionBudget", "Kafka", "KafkaNodePool", "KafkaTopic"]) {
        assert.ok(kinds.has(kind), `${kind} rendered`);
      }
    });

    it("validates every object against its schema", async () => {
      const errors = (await Promise.all(objects.map(schemaErrors))).flat();
      assert.deepEqual(errors, []);
    });

    it("agrees with the services' sources", () => {
      assert.deepEqual(consistencyErrors(objects, facts), []);
    });

    it("rejects an executor scaled past the partitions it consumes", () => {
      const broken = clone(objects);
      const so = find(broken, "ScaledObject", "cidra-executor");
      so.spec.maxReplicaCount = find(broken, "KafkaTopic", "cidra.jobs").spec.partitions + 1;
      assert.ok(consistencyErrors(broken, facts).some((e) => /maxReplicaCount \d+ exceeds the \d+ partitions of cidra\.jobs/.test(e)));
    });

    it("rejects a consumer group the executor does not use", () => {
      const broken = clone(objects);
      find(broken, "ScaledObject", "cidra-executor").spec.triggers.find((t) => t.metadata.topic === "cidra.jobs").metadata.consumerGroup = "cidra-executor";
      assert.ok(consistencyErrors(broken, facts).some((e) => e.includes("cidra.jobs is read by group cidra-executor-jobs")));
    });

    it("rejects a missing topic, a wrong cleanup policy and an unknown config key", () => {
      const broken = clone(objects).filter((o) => !(o.kind === "KafkaTopic" && o.metadata.name === "cidra.triggers"));
      find(broken, "KafkaTopic", "cidra.job-events").spec.config["cleanup.policy"] = "delete";
      find(broken, "ConfigMap", "cidra-config").data.CIDRA_S3_ENDPIONT = "http://typo";
      const errors = consistencyErrors(broken, facts);
      assert.ok(errors.includes("KafkaTopic cidra.triggers: missing (Topics.all() has it)"), errors.join("\n"));
      assert.ok(errors.some((e) => e.startsWith("KafkaTopic cidra.job-events: cleanup.policy not compact")));
      assert.ok(errors.some((e) => e.includes("CIDRA_S3_ENDPIONT maps to no cidra.* key")));
    });

    it("rejects a writable root file system, a probe on the wrong port and a missing JIT flag", () => {
      const broken = clone(objects);
      const executor = find(broken, "Deployment", "cidra-executor").spec.template.spec.containers[0];
      executor.securityContext.readOnlyRootFilesystem = false;
      executor.readinessProbe.httpGet.port = 8080;
      const options = executor.env.find((e) => e.name === "JAVA_TOOL_OPTIONS");
      options.value = options.value.replace("-XX:+EnableJVMCI", "");
      const errors = consistencyErrors(broken, facts);
      assert.ok(errors.some((e) => e.endsWith("readOnlyRootFilesystem must be true")));
      assert.ok(errors.some((e) => e.includes("readinessProbe must GET /q/health/ready on port 8081")));
      assert.ok(errors.some((e) => e.endsWith("JAVA_TOOL_OPTIONS lacks -XX:+EnableJVMCI")));
    });

    it("rejects a dashboard query on a metric no service registers", () => {
      const broken = clone(objects);
      const cm = find(broken, "ConfigMap", "cidra-grafana-dashboard");
      const [file] = Object.keys(cm.data);
      const dashboard = JSON.parse(cm.data[file]);
      dashboard.panels.push({ type: "timeseries", targets: [{ expr: "rate(cidra_made_up_total[5m])" }] });
      cm.data[file] = JSON.stringify(dashboard);
      assert.ok(consistencyErrors(broken, facts).includes("dashboard: cidra_made_up_total is registered by no meter in the sources"));
    });
  });
}

describe("overlay differences", () => {
  const dev = render(join(K8S_DIR, "overlays/dev"));
  const prod = render(join(K8S_DIR, "overlays/prod"));
  it("dev runs one of everything on a single broker", () => {
    assert.equal(find(dev, "HorizontalPodAutoscaler", "cidra-gateway").spec.maxReplicas, 1);
    assert.equal(find(dev, "ScaledObject", "cidra-executor").spec.maxReplicaCount, 1);
    assert.equal(find(dev, "KafkaNodePool", "dual-role").spec.replicas, 1);
    assert.ok(dev.filter((o) => o.kind === "KafkaTopic").every((t) => t.spec.replicas === 1));
  });
  it("prod runs three brokers, replication 3 and PDBs by minAvailable", () => {
    assert.equal(find(prod, "KafkaNodePool", "dual-role").spec.replicas, 3);
    assert.ok(prod.filter((o) => o.kind === "KafkaTopic").every((t) => t.spec.replicas === 3));
    assert.ok(prod.filter((o) => o.kind === "PodDisruptionBudget").every((p) => p.spec.minAvailable >= 1 && p.spec.maxUnavailable === undefined));
    assert.ok(find(prod, "HorizontalPodAutoscaler", "cidra-gateway").spec.minReplicas > 1);
    assert.ok(find(prod, "ScaledObject", "cidra-executor").spec.minReplicaCount > 1);
  });
  it("prod authenticates every Kafka client by SCRAM and lets the producer write no Cidra topic but submissions", () => {
    assert.ok(find(prod, "Kafka", "cidra").spec.kafka.listeners.every((l) => l.authentication?.type === "scram-sha-512"));
    assert.equal(find(prod, "Kafka", "cidra").spec.kafka.authorization.type, "simple");
    const denies = find(prod, "KafkaUser", "cidra-producer").spec.authorization.acls.filter((a) => a.type === "deny").map((a) => a.resource);
    const denied = (topic) => denies.some((r) => (r.patternType === "prefix" ? topic.startsWith(r.name) : topic === r.name));
    assert.deepEqual(facts.topics.topics.filter((t) => !denied(t)), ["cidra.job-submissions"]);
    assert.ok(denied("cidra.jobs.provided.0123") && denied("cidra.invocations.provided.0123"), "the provided sets' topics");
    assert.deepEqual(consistencyErrors(prod, facts), []);
  });
  it("prod rejects a service that does not log in to Kafka, or KEDA reading lag without credentials", () => {
    const broken = clone(prod);
    const gateway = find(broken, "Deployment", "cidra-gateway").spec.template.spec.containers[0];
    gateway.env = gateway.env.filter((e) => e.name !== "CIDRA_KAFKA_SASL_USERNAME");
    delete find(broken, "ScaledObject", "cidra-executor").spec.triggers[1].authenticationRef;
    const errors = consistencyErrors(broken, facts);
    assert.ok(errors.some((e) => e.startsWith("Deployment cidra-gateway: Kafka authenticates clients")), errors.join("\n"));
    assert.ok(errors.includes("ScaledObject cidra-executor: trigger jobs-lag reads Kafka without SASL credentials"), errors.join("\n"));
  });
});

describe("broken manifests", () => {
  const dir = join(K8S_DIR, "src/test/resources/broken");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    it(`rejects ${file}`, async () => {
      const text = readFileSync(join(dir, file), "utf8");
      const expected = text.match(/^# expect: (.+)$/m)?.[1];
      assert.ok(expected, `${file} names the error it must produce in an "# expect:" line`);
      const errors = (await Promise.all(parseYaml(text, file).map(schemaErrors))).flat();
      console.log(`${file} rejected: ${errors.join(" | ")}`);
      assert.ok(errors.some((e) => e.includes(expected)), `expected "${expected}" among: ${errors.join(" | ")}`);
    });
  }
});
