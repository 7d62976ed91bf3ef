// The Cidra console: a few pages over the gateway's own API (/v1/...), nothing else. Every value shown comes from the
// API and is inserted as text (guest output is hostile), never as markup.
"use strict";

const page = document.getElementById("page");
const TOKEN_KEY = "cidra.token";
let refresh = null;

function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("token");
  localStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = "";
  route();
});

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

// Bumped by every navigation: an answer that arrives after the reader moved on is dropped, not drawn over the new page.
let generation = 0;
class Superseded extends Error {}

async function api(path) {
  const asked = generation;
  const headers = { Accept: "application/json" };
  if (token()) headers.Authorization = "Bearer " + token();
  const response = await fetch(path, { headers });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not problem+json */ }
    if (asked !== generation) throw new Superseded();
    throw new ApiError(response.status, detail);
  }
  const body = await response.json();
  if (asked !== generation) throw new Superseded();
  return body;
}

// el("tag", {attr: value}, child...): an element; string children become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) { page.replaceChildren(...nodes.flat()); }

// Whether a live page's data is what it shows already (then it is not drawn again, so nothing under the reader's
// pointer is replaced); a new page starts with nothing shown.
let shown = null;
function unchanged(data) {
  const signature = JSON.stringify(data);
  if (signature === shown) return true;
  shown = signature;
  return false;
}

function stateBadge(state) { return el("span", { class: "state state-" + state }, state); }

function time(value) { return value ? new Date(value).toLocaleString() : "—"; }

function table(headings, rows, id) {
  return el("table", { id }, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

function failure(error, what) {
  if (error.status === 401) {
    return el("div", { class: "notice", id: "needs-token" },
      "The API wants a token: paste the one `./cidra token` prints into the box above.");
  }
  if (error.status === 404) return el("div", { class: "not-found", id: "not-found" }, what + " not found: " + error.message);
  return el("div", { class: "notice error" }, "Cannot load " + what + ": " + error.message);
}

// Pages --------------------------------------------------------------------------------------------------------------

async function jobsPage(params) {
  const state = params.get("state") || "";
  const label = params.get("label") || "";
  const go = (nextState, nextLabel) => {
    const query = new URLSearchParams();
    if (nextState) query.set("state", nextState);
    if (nextLabel) query.set("label", nextLabel);
    location.hash = "#/jobs" + (query.toString() ? "?" + query : "");
  };
  const filter = el("select", { id: "state-filter", onchange: (e) => go(e.target.value, label) },
    ["", "queued", "running", "publishing", "completed", "failed", "cancelled"].map((s) => {
      const option = el("option", { value: s }, s || "every state");
      if (s === state) option.selected = true;
      return option;
    }));
  const labelFilter = el("form", { id: "label-filter", onsubmit: (e) => { e.preventDefault(); go(state, e.target.label.value.trim()); } },
    el("input", { name: "label", value: label, placeholder: "label KEY=VALUE", size: 24 }));
  const load = async () => {
    const query = "/v1/jobs?limit=100" + (state ? "&state=" + encodeURIComponent(state) : "")
      + (label ? "&label=" + encodeURIComponent(label) : "");
    const listing = await api(query);
    if (unchanged(listing)) return;
    const rows = listing.jobs.map((job) => el("tr", { "data-job": job.jobID },
      el("td", {}, el("a", { href: "#/jobs/" + encodeURIComponent(job.jobID) }, job.jobID)),
      el("td", {}, stateBadge(job.state)),
      el("td", { class: "labels" }, Object.entries(job.labels || {}).map(([k, v]) => k + "=" + v).join(", ")),
      el("td", {}, time(job.createdAt)),
      el("td", {}, time(job.updatedAt)),
      el("td", {}, (job.executions || []).map((x) => x.nodeID).filter(Boolean).join(", "))));
    show(el("h1", {}, "Jobs"), el("div", { class: "filters" }, "State ", filter, "Label ", labelFilter,
      el("span", {}, listing.total + " jobs")),
      table(["Job", "State", "Labels", "Created", "Updated", "Node"], rows));
  };
  await load();
  refresh = load;
}

function timeline(job) {
  const points = [job.createdAt, ...(job.executions || []).flatMap((x) => [x.startedAt, x.endedAt])]
    .filter(Boolean).map((t) => new Date(t).getTime());
  const start = Math.min(...points), end = Math.max(...points, start + 1);
  const x = (t) => 10 + ((new Date(t).getTime() - start) / (end - start)) * 860;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "timeline");
  svg.setAttribute("viewBox", "0 0 900 " + (40 + 24 * (job.executions || []).length));
  const add = (name, attrs, text) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    svg.append(node);
  };
  if (job.createdAt) {
    add("circle", { cx: x(job.createdAt), cy: 14, r: 5, fill: "#5c6670" });
    add("text", { x: x(job.createdAt) + 8, y: 18, "font-size": 11 }, "queued " + time(job.createdAt));
  }
  (job.executions || []).forEach((execution, i) => {
    const y = 30 + 24 * i;
    if (!execution.startedAt) return;
    const from = x(execution.startedAt), to = execution.endedAt ? x(execution.endedAt) : 870;
    const color = execution.state === "failed" ? "#cf222e" : execution.state === "completed" ? "#1a7f37" : "#0b6bcb";
    add("rect", { x: from, y, width: Math.max(3, to - from), height: 14, fill: color, rx: 3 });
    const ms = execution.endedAt ? (new Date(execution.endedAt) - new Date(execution.startedAt)) + " ms" : "running";
    add("text", { x: Math.min(from + 6, 760), y: y + 11, "font-size": 11, fill: "#1b1f24" },
      (execution.nodeID || "") + " · " + execution.state + " · " + ms);
  });
  return svg;
}

async function jobPage(id) {
  const load = async () => {
    const job = await api("/v1/jobs/" + encodeURIComponent(id));
    if (unchanged(job)) return;
    if (job.state === "completed" || job.state === "failed" || job.state === "cancelled") refresh = null; // a terminal job never changes
    const result = job.result;
    const executions = (job.executions || []).map((x) => el("section", { class: "execution", "data-execution": x.executionID },
      el("h3", {}, "Execution ", el("code", {}, x.executionID), " on ", x.nodeID || "—", " ", stateBadge(x.state)),
      x.error ? el("p", { class: "error reason" }, x.error) : null,
      el("dl", {}, el("dt", {}, "exit code"), el("dd", {}, x.exitCode ?? "—"),
        el("dt", {}, "started"), el("dd", {}, time(x.startedAt)), el("dt", {}, "ended"), el("dd", {}, time(x.endedAt))),
      el("h4", {}, "stdout", x.stdoutTruncated ? " (start)" : ""), el("pre", { class: "stdout" }, x.stdout || ""),
      el("h4", {}, "stderr", x.stderrTruncated ? " (start)" : ""), el("pre", { class: "stderr" }, x.stderr || "")));
    const resultView = result
      ? el("dl", { id: "result" },
        el("dt", {}, "type"), el("dd", {}, result.Type),
        el("dt", {}, "CID"), el("dd", { class: "result-cid" }, result.CID || "—"),
        el("dt", {}, "where"), el("dd", {}, result.URL || [result.Bucket, result.Key].filter(Boolean).join("/")),
        el("dt", {}, "SHA-256"), el("dd", {}, result.ChecksumSHA256 || "—"),
        el("dt", {}, "files"), el("dd", {}, el("button", { id: "download", onclick: () => download(id) }, "Download result")))
      : el("p", {}, "No published result.");
    show(el("h1", {}, "Job ", el("code", {}, job.jobID), " ", stateBadge(job.state)), timeline(job),
      el("h2", {}, "Result"), resultView, el("h2", {}, "Executions"), executions);
  };
  refresh = load;
  await load();
}

async function download(id) {
  const headers = token() ? { Authorization: "Bearer " + token() } : {};
  const response = await fetch("/v1/jobs/" + encodeURIComponent(id) + "/outputs", { headers });
  if (!response.ok) { alert("Cannot download: " + response.status); return; }
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: id + "-result" });
  link.click();
  URL.revokeObjectURL(link.href);
}

async function modulesPage() {
  const { nodes } = await api("/v1/nodes");
  const holders = new Map();
  for (const node of nodes) for (const cid of node.linkedModules) holders.set(cid, [...(holders.get(cid) || []), node.nodeId]);
  const lookup = el("form", { onsubmit: (e) => { e.preventDefault(); location.hash = "#/modules/" + e.target.cid.value.trim(); } },
    el("input", { name: "cid", placeholder: "CID", size: 64 }), el("button", { type: "submit" }, "Describe"));
  const rows = await Promise.all([...holders.entries()].map(async ([cid, on]) => {
    let size = "—", imports = "—", exports = "—";
    try {
      const module = await api("/v1/modules/" + encodeURIComponent(cid));
      size = module.size; imports = (module.imports || []).length; exports = (module.exports || []).length;
    } catch (e) { /* held by a node, not in the store: provider-only or gone */ }
    return el("tr", {}, el("td", {}, el("a", { href: "#/modules/" + cid }, el("code", {}, cid))), el("td", {}, size),
      el("td", {}, imports), el("td", {}, exports), el("td", {}, on.join(", ")));
  }));
  show(el("h1", {}, "Modules"), el("p", {}, "Modules the live nodes hold linked, and any module by CID."), lookup,
    table(["CID", "Bytes", "Imports", "Exports", "Held by"], rows, "modules"));
}

async function modulePage(cid) {
  const [module, { nodes }] = await Promise.all([api("/v1/modules/" + encodeURIComponent(cid)), api("/v1/nodes")]);
  const on = nodes.filter((n) => n.linkedModules.includes(cid)).map((n) => n.nodeId);
  show(el("h1", {}, "Module ", el("code", {}, module.cid)),
    el("dl", {}, el("dt", {}, "bytes"), el("dd", {}, module.size), el("dt", {}, "held by"), el("dd", {}, on.join(", ") || "no live node")),
    el("h2", {}, "Imports"), table(["Module", "Name", "Kind"], (module.imports || []).map((i) => el("tr", {}, el("td", {}, i.module), el("td", {}, i.name), el("td", {}, i.kind)))),
    el("h2", {}, "Exports"), table(["Name", "Kind"], (module.exports || []).map((x) => el("tr", {}, el("td", {}, x.name), el("td", {}, x.kind)))));
}

async function triggersPage() {
  const load = async () => {
    const { triggers } = await api("/v1/triggers");
    const stats = await Promise.all(triggers.map((t) => api("/v1/triggers/" + encodeURIComponent(t.name) + "/stats")
      .catch((e) => { if (e instanceof Superseded) throw e; return null; })));
    if (unchanged(stats)) return;
    show(el("h1", {}, "Triggers"), table(["Name", "Topic", "Module", "Output", "Consumed", "Lag", "Dead letters"],
      triggers.map((t, i) => el("tr", { "data-trigger": t.name },
        el("td", {}, el("a", { href: "#/triggers/" + encodeURIComponent(t.name) }, t.name)), el("td", {}, t.topic),
        el("td", {}, el("code", {}, t.module)), el("td", {}, output(t)),
        el("td", {}, stats[i] ? stats[i].consumed : "—"), el("td", { class: "lag" }, stats[i] ? stats[i].lag : "—"),
        el("td", {}, stats[i] ? stats[i].deadLettered : "—"))), "triggers"));
  };
  await load();
  refresh = load;
}

function output(trigger) {
  return trigger.output && trigger.output.topic ? "topic " + trigger.output.topic : "publisher";
}

async function triggerPage(name) {
  const trigger = await api("/v1/triggers/" + encodeURIComponent(name));
  const load = async () => {
    const stats = await api("/v1/triggers/" + encodeURIComponent(name) + "/stats");
    if (unchanged(stats)) return;
    show(el("h1", {}, "Trigger ", el("code", {}, trigger.name)),
      el("dl", { id: "trigger" },
        el("dt", {}, "topic"), el("dd", {}, trigger.topic),
        el("dt", {}, "module"), el("dd", {}, el("a", { href: "#/modules/" + trigger.module }, el("code", {}, trigger.module))),
        el("dt", {}, "output"), el("dd", {}, output(trigger)),
        el("dt", {}, "dead letters to"), el("dd", {}, trigger.deadLetterTopic),
        el("dt", {}, "attempts"), el("dd", {}, trigger.retry.maxAttempts + " (backoff " + trigger.retry.backoffMillis + " ms)"),
        el("dt", {}, "created"), el("dd", {}, time(trigger.createdAt))),
      el("h2", {}, "Records"),
      el("dl", { id: "trigger-stats" },
        el("dt", {}, "consumed"), el("dd", { class: "consumed" }, stats.consumed),
        el("dt", {}, "lag"), el("dd", { class: "lag" }, stats.lag),
        el("dt", {}, "succeeded"), el("dd", { class: "succeeded" }, stats.succeeded),
        el("dt", {}, "dead-lettered"), el("dd", { class: "dead-lettered" }, stats.deadLettered),
        el("dt", {}, "failed attempts"), el("dd", { class: "failed-attempts" }, stats.failedAttempts),
        el("dt", {}, "run by"), el("dd", {}, stats.nodes.join(", ") || "no live executor yet")),
      el("p", { class: "hint" }, "Consumed and lag come from the trigger's consumer group in Kafka; the other counts"
        + " from the live executors, since each started."),
      el("h2", {}, "Partitions of " + trigger.topic),
      table(["Partition", "Started at", "Committed", "End", "Lag"], stats.partitions.map((p) => el("tr", {},
        el("td", {}, p.partition), el("td", {}, p.start), el("td", {}, p.committed), el("td", {}, p.end),
        el("td", {}, lagBar(p.lag, Math.max(1, ...stats.partitions.map((q) => q.lag))))))),
      el("h2", {}, "Definition"), el("pre", {}, JSON.stringify(trigger, null, 2)));
  };
  await load();
  refresh = load;
}

// A partition's lag as a bar beside its number, scaled to the largest lag shown.
function lagBar(lag, max) {
  return el("span", { class: "lag-bar" }, el("span", { class: "bar", style: "width:" + Math.round((lag / max) * 120) + "px" }), " " + lag);
}

function cacheRatio(cache) {
  const calls = cache.hits + cache.misses;
  return calls ? Math.round((cache.hits / calls) * 100) + "% hits of " + calls : "no calls yet";
}

function heartbeatAge(n) {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(n.heartbeatAt).getTime()) / 1000));
  const late = seconds * 1000 > 2 * n.heartbeatIntervalMillis;
  return el("span", { class: late ? "health late" : "health ok" }, late ? "late, " + seconds + " s ago" : "live, " + seconds + " s ago");
}

async function nodesPage() {
  const load = async () => {
    const { nodes } = await api("/v1/nodes");
    if (unchanged(nodes.map(({ heartbeatAt, ...rest }) => rest))) return;
    show(el("h1", {}, "Nodes"), table(["Node", "Health", "Engine", "Load", "Linked modules", "Cache", "Labels"], nodes.map((n) => el("tr", { "data-node": n.nodeId },
      el("td", {}, el("a", { href: "#/nodes/" + encodeURIComponent(n.nodeId) }, n.nodeId)),
      el("td", {}, heartbeatAge(n)),
      el("td", {}, n.engine + " (" + n.engineMode + ")"), el("td", {}, n.running + " / " + n.slots),
      el("td", {}, n.linkedModules.length), el("td", { class: "cache" }, cacheRatio(n.cache)),
      el("td", {}, Object.entries(n.labels).map(([k, v]) => k + "=" + v).join(", "))))));
  };
  await load();
  refresh = load;
}

async function nodePage(id) {
  const n = await api("/v1/nodes/" + encodeURIComponent(id));
  show(el("h1", {}, "Node ", el("code", {}, n.nodeId)), el("dl", {},
    el("dt", {}, "health"), el("dd", {}, heartbeatAge(n)),
    el("dt", {}, "version"), el("dd", {}, n.version), el("dt", {}, "engine"), el("dd", {}, n.engine + " (" + n.engineMode + ")"),
    el("dt", {}, "load"), el("dd", {}, n.running + " of " + n.slots + " guest slots"),
    el("dt", {}, "linked-module cache"), el("dd", { class: "cache" }, cacheRatio(n.cache) + ", " + n.cache.evictions
      + " evicted, " + n.cache.bytes + " bytes held"),
    el("dt", {}, "started"), el("dd", {}, time(n.startedAt)), el("dt", {}, "last heartbeat"), el("dd", {}, time(n.heartbeatAt)),
    el("dt", {}, "provides"), el("dd", {}, n.providedModules.join(", ") || "every public module"),
    el("dt", {}, "triggers run"), el("dd", {}, Object.keys(n.triggers).length)),
    el("h2", {}, "Linked modules"), el("ul", {}, n.linkedModules.map((cid) => el("li", {}, el("a", { href: "#/modules/" + cid }, el("code", {}, cid))))));
}

// Routing --------------------------------------------------------------------------------------------------------------

const routes = [
  [/^\/jobs\/(.+)$/, (m) => jobPage(decodeURIComponent(m[1])), "jobs", "Job"],
  [/^\/jobs$/, (m, params) => jobsPage(params), "jobs", "Jobs"],
  [/^\/modules\/(.+)$/, (m) => modulePage(decodeURIComponent(m[1])), "modules", "Module"],
  [/^\/modules$/, () => modulesPage(), "modules", "Modules"],
  [/^\/triggers\/(.+)$/, (m) => triggerPage(decodeURIComponent(m[1])), "triggers", "Trigger"],
  [/^\/triggers$/, () => triggersPage(), "triggers", "Triggers"],
  [/^\/nodes\/(.+)$/, (m) => nodePage(decodeURIComponent(m[1])), "nodes", "Node"],
  [/^\/nodes$/, () => nodesPage(), "nodes", "Nodes"],
];

async function route() {
  generation++;
  refresh = null;
  shown = null;
  const [path, query] = (location.hash.slice(1) || "/jobs").split("?");
  const params = new URLSearchParams(query || "");
  for (const [pattern, render, section, what] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === section));
    try { await render(match, params); } catch (error) { if (!(error instanceof Superseded)) show(failure(error, what)); }
    return;
  }
  show(el("div", { class: "not-found", id: "not-found" }, "No such page: " + path));
}

window.addEventListener("hashchange", route);
setInterval(() => {
  if (refresh) refresh().catch((error) => { if (!(error instanceof Superseded)) show(failure(error, "this page")); });
}, 2000);

// The live chart: calls/s and mean latency from /v1/stats, sampled every 2 s, the last 60 samples.
const samples = [];
let previous = null;
async function sample() {
  try {
    const now = await api("/v1/stats");
    const at = performance.now();
    if (previous) {
      const seconds = (at - previous.at) / 1000, calls = now.invocations - previous.totals.invocations;
      const latency = calls > 0 ? ((now.invocationSeconds - previous.totals.invocationSeconds) / calls) * 1000 : 0;
      samples.push({ rate: calls / seconds, latency });
      if (samples.length > 60) samples.shift();
      draw();
    }
    previous = { at, totals: now };
  } catch (e) { /* no token yet, or the gateway is away: try again */ }
}
function draw() {
  const canvas = document.getElementById("chart"), g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const plot = (key, color) => {
    const max = Math.max(1, ...samples.map((s) => s[key]));
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    samples.forEach((s, i) => {
      const x = (i / 59) * (canvas.width - 4) + 2, y = canvas.height - 4 - (s[key] / max) * (canvas.height - 12);
      i ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
  };
  plot("rate", "#0b6bcb");
  plot("latency", "#9a6700");
  const last = samples[samples.length - 1];
  document.getElementById("chart-now").textContent = last ? " now: " + last.rate.toFixed(1) + " calls/s, " + last.latency.toFixed(2) + " ms" : "";
}
setInterval(sample, 2000);
sample();
route();
