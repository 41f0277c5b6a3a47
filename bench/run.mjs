import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { devVar, snapshotApp } from "./lib/app.mjs";
import { fanOutRows } from "./lib/fan-out.mjs";
import { bundleSize, startupTime } from "./lib/footprint.mjs";
import { indexLagRows, indexScenarios, seedIndex } from "./lib/index-bench.mjs";
import { load, merge } from "./lib/load.mjs";
import { installCleanup, startWorker, workerdMemory } from "./lib/processes.mjs";
import { markdownTable, verdict } from "./lib/report.mjs";
import { DOC_TEXT, scenarios } from "./lib/scenarios.mjs";
import { pool, request } from "./lib/seed.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const ONLY = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const SKIP_FOOTPRINT = args.includes("--skip-footprint");
const TREE = args.includes("--tree=working") ? "working" : "head";

/** Quick fits CI (≤ 2 min); full is the figure of record (< 15 min). */
const MODE = QUICK
  ? { seconds: 1, noopSeconds: 1, warmup: 0, rounds: 1, spreadCount: 300, writeSpread: 64 }
  : { seconds: 4, noopSeconds: 3, warmup: 1, rounds: 2, spreadCount: 10_000, writeSpread: 256 };
Object.assign(
  MODE,
  QUICK ? { patchOneAmount: 256, workflowRuns: 2 } : { patchOneAmount: 1_500, workflowRuns: 10 },
  // Indexes: entities under one key value (seeded, then indexed by backfill), lag probes.
  QUICK
    ? { indexCount: 2_000, lagProbes: 20, lagSeconds: 6 }
    : { indexCount: 100_000, lagProbes: 60, lagSeconds: 15 },
);
const INDEX_ENTITIES = args.find((a) => a.startsWith("--index-entities="))?.slice(17);
if (INDEX_ENTITIES) MODE.indexCount = Number(INDEX_ENTITIES);
const CONCURRENCIES = [1, 16, 64];

installCleanup();
const started = Date.now();
const log = (msg) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const work = mkdtempSync(join(tmpdir(), "edgestate-bench-"));
// Keep the servers' logs when something failed.
process.on("exit", (code) => {
  if (code === 0) rmSync(work, { recursive: true, force: true });
  else console.error(`logs kept in ${work}`);
});

const app = snapshotApp(ROOT, work, TREE);
log(
  `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")} on ${cpus().length} cores; logs in ${work}`,
);
// One after the other: two wranglers picking free ports at once can pick the same one.
const edge = await startWorker({
  name: "edgestate",
  cwd: app.dir,
  configPath: join(app.dir, "wrangler.toml"),
  persistTo: join(work, "edge-state"),
  vars: ["LOG_REQUESTS:false"],
  logFile: join(work, "edgestate.log"),
});
const base = await startWorker({
  name: "baseline",
  cwd: join(ROOT, "bench/baseline"),
  configPath: join(ROOT, "bench/baseline/wrangler.toml"),
  persistTo: join(work, "base-state"),
  logFile: join(work, "baseline.log"),
});
log(`edgestate ${app.revision} at ${edge.url}, baseline at ${base.url}`);

const adminKey = devVar(app.dir, "ADMIN_KEY");
const { text: keyReply } = await request(`${edge.url}/v1/keys`, {
  method: "POST",
  headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
  body: JSON.stringify({ tenant: "bench", scopes: ["read", "write"], name: "bench" }),
});
const auth = { Authorization: `Bearer ${JSON.parse(keyReply).key}` };
const HAS_SESSIONS = existsSync(join(app.dir, "src/http/routes/sessions"));
const HAS_EXECUTIONS = existsSync(join(app.dir, "src/http/routes/machines/execution-routes.ts"));
const HAS_INDEXES = existsSync(join(app.dir, "src/http/routes/indexes"));
const sessionId = HAS_SESSIONS ? await createSession() : undefined;
const all = [
  ...scenarios({
    auth,
    spreadCount: MODE.spreadCount,
    patchOneAmount: MODE.patchOneAmount,
    writeSpread: MODE.writeSpread,
    sessionId,
  }),
  ...(HAS_INDEXES ? indexScenarios({ auth, count: MODE.indexCount, writeSpread: MODE.writeSpread }) : []),
];
const chosen = all.filter((s) => !ONLY || ONLY.includes(s.id));
const INDEX_ROWS = ["put-indexed", "query-ids", "query-range", "query-docs", "index-backfill", "index-lag"];
const wantsIndexes = HAS_INDEXES && (!ONLY || ONLY.some((id) => INDEX_ROWS.includes(id)));

await seed();
const backfillRow = wantsIndexes
  ? await seedIndex({ url: edge.url, auth, count: MODE.indexCount, writeSpread: MODE.writeSpread, log })
  : null;

const rows = [];
const noopCache = new Map();
for (const s of chosen) {
  for (const c of s.concurrencies ?? CONCURRENCIES) rows.push(await measure(s, c));
}
if (backfillRow) {
  rows.push(backfillRow);
  rows.push(
    ...(await indexLagRows({
      url: edge.url,
      auth,
      probes: MODE.lagProbes,
      seconds: MODE.lagSeconds,
      writeSpread: MODE.writeSpread,
      log,
    })),
  );
}
const memory = { edgestate: workerdMemory(edge.pid), baseline: workerdMemory(base.pid) };
rows.push(...(await stateMachineRows()));
const HAS_WATCH = existsSync(join(app.dir, "src/http/watch"));
if (HAS_WATCH && (!ONLY || ONLY.includes("fan-out"))) {
  const sizes = QUICK ? { writes: 50, seconds: 1 } : { writes: 300, seconds: 5 };
  rows.push(...(await fanOutRows({ edge, base, auth, watchers: 100, ...sizes, log })));
}
if (!HAS_SESSIONS) {
  rows.push({
    title: "session GET (sliding)",
    baseline: "bare DO read",
    target: { ratio: 0.7 },
    pending: "pending: no sessions routes in this revision",
  });
}

const footprint = SKIP_FOOTPRINT
  ? null
  : {
      bundle: bundleSize(app.dir, join(work, "dist")),
      ...startupTime(app.dir, join(work, "startup.cpuprofile")),
    };
await Promise.all([edge.stop(), base.stop()]);

const table = markdownTable(rows);
console.log(`\n${table}\n`);
for (const r of rows.filter((r) => r.check))
  console.log(`${r.title}: ${r.check.ok ? "ok" : "FAILED"}, ${r.check.detail}`);
if (footprint) {
  console.log(
    `Bundle: ${footprint.bundle.gzipKiB.toFixed(1)} KiB gzip (${footprint.bundle.rawKiB.toFixed(0)} KiB raw; target ≤ 300 KiB: ${footprint.bundle.pass ? "pass" : "miss"}); start-up CPU ${footprint.startupMs.toFixed(1)} ms`,
  );
}
const peak = (side) => side.reduce((n, p) => n + p.peakKiB, 0) / 1024;
console.log(
  `workerd peak RSS (VmHWM, all workerd processes of each server): edgestate ${peak(memory.edgestate).toFixed(0)} MiB, baseline ${peak(memory.baseline).toFixed(0)} MiB`,
);
const results = {
  mode: QUICK ? "quick" : "full",
  revision: app.revision,
  at: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    model: cpus()[0]?.model,
    memGiB: totalmem() / 2 ** 30,
    loadavg: loadavg(),
  },
  seconds: (Date.now() - started) / 1000,
  rows: rows.map((r) => ({ ...r, verdict: verdict(r) })),
  memory,
  footprint,
  table,
};
writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
log(`done; bench/results.json written`);
const failed = rows.some((r) => (r.edge?.status5xx ?? 0) > 0 || (r.check && !r.check.ok));
process.exit(failed ? 1 : 0);

/** Measures one scenario at one concurrency: edgestate and baseline alternately (ABBA when rounds = 2). */
async function measure(s, connections) {
  log(`${s.id} at ${connections}`);
  const shape = (side, url) => ({ url, connections, ...side });
  const timed = s.amount ? { amount: s.amount } : { seconds: MODE.seconds };
  if (MODE.warmup) {
    await load({ ...shape(s.edge, edge.url), connections: Math.min(connections, 16), seconds: MODE.warmup });
    await load({ ...shape(s.base, base.url), connections: Math.min(connections, 16), seconds: MODE.warmup });
  }

  const edgeRuns = [];
  const baseRuns = [];
  const headerCounts = {};
  let check;
  const runEdge = async () => {
    if (s.id === "patch-one") {
      const { run, verify } = await patchOneRun(s, connections, timed);
      edgeRuns.push(run);
      check = mergeChecks(check, await verify());
      return;
    }
    const onResponse = s.countHeader
      ? (_status, headers) => {
          const v =
            headers[s.countHeader] ?? headers[s.countHeader.replace(/(^|-)\w/g, (m) => m.toUpperCase())];
          headerCounts[v] = (headerCounts[v] ?? 0) + 1;
        }
      : undefined;
    edgeRuns.push(await load({ ...shape(s.edge, edge.url), ...timed, onResponse }));
  };
  const runBase = async () => baseRuns.push(await load({ ...shape(s.base, base.url), ...timed }));
  for (let round = 0; round < MODE.rounds; round++) {
    if (round % 2 === 0) {
      await runEdge();
      await runBase();
    } else {
      await runBase();
      await runEdge();
    }
  }
  const noop = await noopAt(connections);
  const e = merge(edgeRuns);
  const b = merge(baseRuns);
  return {
    id: s.id,
    title: s.title,
    baseline: s.baseline,
    concurrency: connections,
    target: s.target,
    edge: e,
    base: b,
    noop,
    ratio: b.rps > 0 ? e.rps / b.rps : Number.NaN,
    ...(Object.keys(headerCounts).length ? { headers: { [s.countHeader]: headerCounts } } : {}),
    ...(check ? { check } : {}),
    ...(s.memory
      ? { memory: { edgestate: workerdMemory(edge.pid), baseline: workerdMemory(base.pid) } }
      : {}),
  };
}

/** The platform's own cost at this concurrency: a no-op route on the baseline Worker. */
async function noopAt(connections) {
  if (QUICK && noopCache.has(connections)) return noopCache.get(connections);
  const r = merge([await load({ url: base.url, path: "/noop", connections, seconds: MODE.noopSeconds })]);
  noopCache.set(connections, r);
  return r;
}

/**
 * 64 clients merge-patching ONE entity, each client its own field with its own counter. No lost
 * update means: every client's field reads the last value the server acknowledged to it, and the
 * version rose by exactly the number of acknowledged patches.
 */
async function patchOneRun(s, connections, timed) {
  const path = "/v1/entities/doc/one";
  const before = await request(`${edge.url}${path}`, { headers: auth });
  const v0 = Number(before.res.headers.get("edgestate-version"));
  const clients = [];
  const run = await load({
    url: edge.url,
    connections,
    ...s.edge,
    ...timed,
    setupClient(client, index) {
      const state = { field: `c${index}-${v0}`, sent: 0, acked: 0 };
      clients.push(state);
      const prime = () => {
        state.sent++;
        client.setBody(JSON.stringify({ [state.field]: state.sent }));
      };
      prime();
      client.on("response", (status) => {
        if (status >= 200 && status < 300) state.acked = state.sent;
        prime();
      });
    },
  });
  const verify = async () => {
    await new Promise((r) => setTimeout(r, 500)); // let any request cut off by a stop land
    const after = await request(`${edge.url}${path}`, { headers: auth });
    const doc = JSON.parse(after.text);
    const version = Number(after.res.headers.get("edgestate-version"));
    const acked = clients.reduce((n, c) => n + c.acked, 0);
    // A client primes its next body before sending it, so `sent` may exceed what reached the server by one.
    const lost = clients.filter((c) => (doc[c.field] ?? 0) < c.acked).length;
    const overshoot = clients.filter((c) => (doc[c.field] ?? 0) > c.sent).length;
    const versionOk = version - v0 >= acked && version - v0 <= acked + clients.length;
    const exact = version - v0 === acked;
    return {
      ok: lost === 0 && overshoot === 0 && versionOk,
      detail: `${acked} acknowledged patches; version ${v0} → ${version}${exact ? " (exactly +1 each)" : ""}; clients with a lost update: ${lost}`,
    };
  };
  return { run, verify };
}

function mergeChecks(a, b) {
  return a ? { ok: a.ok && b.ok, detail: `${a.detail}; ${b.detail}` } : b;
}

/** A definition of `n` Pass states in a row. */
function passChain(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`S${i}`] = i === n - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
  }
  return { Comment: `bench: ${n} Pass states`, StartAt: "S0", States };
}

/** Sequential end-to-end runs of one request: rate = 1 / mean latency. */
async function sequential(runs, url, init, ok) {
  const durations = [];
  let failures = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(70_000) });
    const text = await res.text();
    if (ok(res, text)) durations.push(performance.now() - t);
    else {
      failures++;
      if (failures === 1) log(`unexpected reply from ${url}: ${res.status} ${text.slice(0, 200)}`);
    }
  }
  durations.sort((a, b) => a - b);
  const p = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? Number.NaN;
  const mean = durations.reduce((n, d) => n + d, 0) / durations.length;
  return {
    runs: durations.length,
    requests: durations.length,
    rps: durations.length ? 1000 / mean : 0,
    meanMs: mean,
    p50: p(0.5),
    p99: p(0.99),
    errors: failures,
    status5xx: failures,
  };
}

/** State machines against Cloudflare Workflows run locally, when this revision has executions. */
async function stateMachineRows() {
  log(`state machines: ${MODE.workflowRuns} runs of 100 steps on each side`);
  const workflow = await sequential(
    MODE.workflowRuns,
    `${base.url}/workflow?steps=100`,
    { method: "POST" },
    (r) => r.ok,
  );
  const row = {
    id: "machine-100-pass",
    title: "state machine: 100 Pass states, start with ?wait",
    baseline: "Workflows, 100 step.do (local)",
    concurrency: 1,
    target: { ratio: 5 },
    base: workflow,
  };
  const fivePending = {
    id: "machine-5-state",
    title: "state machine: executions/s, 5 states",
    baseline: "–",
  };
  if (!HAS_EXECUTIONS) {
    return [
      { ...row, pending: "pending: no executions routes in this revision (baseline measured)" },
      { ...fivePending, pending: "pending: no executions routes in this revision" },
    ];
  }
  const json = { ...auth, "Content-Type": "application/json" };
  for (const [name, n] of [
    ["bench-100", 100],
    ["bench-5", 5],
  ]) {
    await request(`${edge.url}/v1/machines/${name}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify(passChain(n)),
    });
  }
  const succeeded = (res, text) => res.status === 200 && text.includes("SUCCEEDED");
  const start = { method: "POST", headers: json, body: JSON.stringify({ input: { n: 1 } }) };
  const edge100 = await sequential(
    MODE.workflowRuns,
    `${edge.url}/v1/machines/bench-100/executions?wait=60`,
    start,
    succeeded,
  );
  const five = [];
  for (const connections of [1, 16]) {
    const r = await load({
      url: edge.url,
      connections,
      seconds: MODE.seconds,
      method: "POST",
      path: "/v1/machines/bench-5/executions?wait=60",
      headers: json,
      body: start.body,
    });
    five.push({ ...fivePending, concurrency: connections, edge: merge([r]) });
  }
  return [{ ...row, edge: edge100, ratio: workflow.meanMs / edge100.meanMs }, ...five];
}

async function createSession() {
  const { text } = await request(`${edge.url}/v1/sessions`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ subject: "bench-user", data: { role: "admin", theme: "dark" }, ttl: 3600 }),
  });
  return JSON.parse(text).id;
}

async function seed() {
  const t = Date.now();
  const put = (url, path, body, headers = {}) =>
    request(`${url}${path}`, {
      method: "PUT",
      headers: { ...headers, "Content-Type": "application/json" },
      body,
    });
  const needs = (id) => chosen.some((s) => s.id === id);
  await put(edge.url, "/v1/entities/doc/hot", DOC_TEXT, auth);
  await put(base.url, "/do?k=hot", DOC_TEXT);
  await put(base.url, "/kv?k=hot", DOC_TEXT);
  await put(edge.url, "/v1/entities/doc/one", "{}", auth);
  await put(base.url, "/do?k=one", DOC_TEXT);
  await pool(MODE.writeSpread, 16, async (i) => {
    await put(edge.url, `/v1/entities/doc/w-${i}`, DOC_TEXT, auth);
    await put(base.url, `/do?k=w-${i}`, DOC_TEXT);
  });
  if (needs("get-spread")) {
    log(`seeding ${MODE.spreadCount} entities on each side`);
    await pool(MODE.spreadCount, 32, (i) => put(edge.url, `/v1/entities/doc/s-${i}`, DOC_TEXT, auth));
    log(`edgestate seeded; the baseline seeds in bulk (it is not what is measured here)`);
    const batch = 500;
    await pool(Math.ceil(MODE.spreadCount / batch), 2, (b) =>
      request(
        `${base.url}/seed?prefix=s-&from=${b * batch}&n=${Math.min(batch, MODE.spreadCount - b * batch)}`,
        {
          method: "POST",
          body: DOC_TEXT,
        },
      ),
    );
  }
  // The KV copy of "hot" is written after its commit (waitUntil); make sure reads will hit it.
  for (let i = 0; i < 50; i++) {
    const { res } = await request(`${edge.url}/v1/entities/doc/hot?consistency=eventual`, { headers: auth });
    if (res.headers.get("edgestate-cache") === "hit") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
