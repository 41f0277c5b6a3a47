// `npm run bench`: edgestate against the bare platform in one run (BENCHMARKS.md says how to read
// it). Flags: --quick (CI: one short round per cell, small curves), --only=put,get-strong (also
// machines, fan-out, curves), --skip-footprint, --skip-curves, --tree=working, --write-report
// (regenerates BENCHMARKS.md's results section and the plots from this run), --index-entities=N,
// --index-first (the index defined before the entities are written), --ablate=rate-limit (diagnostic).
// BENCH_PORTS=18800-18899 keeps the servers in a port range.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ablationsOf, devVar, snapshotApp } from "./lib/app.mjs";
import { docSizeCurve, entityHistoryCurve, executionCurves, listingCurve } from "./lib/curves.mjs";
import { fanOutRows } from "./lib/fan-out.mjs";
import { bundleSize, startupTime } from "./lib/footprint.mjs";
import { indexLagRows, indexScenarios, seedIndex } from "./lib/index-bench.mjs";
import { stateMachineRows } from "./lib/machines.mjs";
import { cellMeasurer } from "./lib/measure.mjs";
import { kib, lineChart } from "./lib/plot.mjs";
import { installCleanup, startWorker, workerdMemory } from "./lib/processes.mjs";
import { markdownTable } from "./lib/report.mjs";
import { resultsSection, writeReport } from "./lib/report-md.mjs";
import { DOC_TEXT, scenarios } from "./lib/scenarios.mjs";
import { pool, request, seedRequest } from "./lib/seed.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const ONLY = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const SKIP_FOOTPRINT = args.includes("--skip-footprint");
const SKIP_CURVES = args.includes("--skip-curves") || (ONLY && !ONLY.includes("curves"));
const WRITE_REPORT = args.includes("--write-report");
const TREE = args.includes("--tree=working") ? "working" : "head";
// Diagnostic only (never a run of record: --write-report refuses it): one cost taken out of the
// snapshot, as in bench:profile, to measure its share of a ratio by difference.
const ABLATE = ablationsOf(args);
if (ABLATE.length > 0 && args.includes("--write-report")) {
  throw new Error("--ablate measures a build that is not edgestate: it cannot write the report");
}

/**
 * Quick fits CI (about 5 min with the limiter twins); full is the figure of record (about 22 min
 * of cells, curves and footprint, plus the 100,000-entity index rows: most of an hour of backfill,
 * or 34 min of seeding with --index-first).
 */
const MODE = QUICK
  ? {
      seconds: 2, // at 64 clients a reply can take 0.5 s on a loaded machine: 1 s may complete none
      noopSeconds: 1,
      warmup: 0,
      rounds: 1,
      spreadCount: 300,
      writeSpread: 64,
      patchOneAmount: 256,
      workflowRuns: 2,
    }
  : {
      seconds: 4,
      noopSeconds: 3,
      warmup: 1,
      rounds: 3,
      spreadCount: 10_000,
      writeSpread: 256,
      patchOneAmount: 1_500,
      workflowRuns: 10,
    };
Object.assign(
  MODE,
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
const loadStart = loadavg();
const log = (msg) =>
  console.error(
    `[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s, load ${loadavg()[0].toFixed(1)}] ${msg}`,
  );
const work = mkdtempSync(join(tmpdir(), "edgestate-bench-"));
// Keep the servers' logs when something failed.
process.on("exit", (code) => {
  if (code === 0) rmSync(work, { recursive: true, force: true });
  else console.error(`logs kept in ${work}`);
});

const app = snapshotApp(ROOT, work, TREE, { ablate: ABLATE });
log(`${QUICK ? "quick" : "full"} run on ${cpus().length} cores; logs in ${work}`);
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
log(
  `edgestate ${app.revision}${ABLATE.length > 0 ? ` (ablated: ${ABLATE.join(", ")})` : ""} at ${edge.url}, baseline at ${base.url}`,
);

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
  ...scenarios({ auth, ...MODE, sessionId }),
  ...(HAS_INDEXES ? indexScenarios({ auth, count: MODE.indexCount, writeSpread: MODE.writeSpread }) : []),
];
const chosen = all.filter((s) => !ONLY || ONLY.includes(s.id));
const INDEX_ROWS = ["put-indexed", "query-ids", "query-range", "query-docs", "index-backfill", "index-lag"];
const wantsIndexes = HAS_INDEXES && (!ONLY || ONLY.some((id) => INDEX_ROWS.includes(id)));

await seed();

// The index's seeding and backfill leave work behind in the server (outbox deliveries): measured
// before them, the other cells do not pay for it (a quick run saw edgestate answer nothing for
// seconds right after a backfill).
const cells = chosen.flatMap((s) => (s.concurrencies ?? CONCURRENCIES).map((c) => [s, c]));
const isIndexCell = ([s]) => INDEX_ROWS.includes(s.id);
const measure = cellMeasurer({ edge, base, auth, mode: MODE, log });
const rows = [];
const cellsStarted = Date.now();
let measured = 0;
async function runCells(list) {
  for (const [s, c] of list) {
    const done = (Date.now() - cellsStarted) / 1000;
    const left = cells.length - measured;
    const eta =
      measured > 0 ? ` — about ${Math.ceil(((done / measured) * left) / 60)} min of cells left` : "";
    log(`cell ${++measured}/${cells.length}: ${s.id} at ${c}${eta}`);
    rows.push(await measure(s, c));
    if (s.memory)
      rows.at(-1).memory = { edgestate: workerdMemory(edge.pid), baseline: workerdMemory(base.pid) };
  }
}
await runCells(cells.filter((cell) => !isIndexCell(cell)));
const backfillRow = wantsIndexes
  ? await seedIndex({
      url: edge.url,
      auth,
      count: MODE.indexCount,
      writeSpread: MODE.writeSpread,
      log,
      indexFirst: args.includes("--index-first"),
    })
  : null;
await runCells(cells.filter(isIndexCell));
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
if (!ONLY || ONLY.includes("machines")) {
  rows.push(
    ...(await stateMachineRows({ edge, base, auth, mode: MODE, log, hasExecutions: HAS_EXECUTIONS })),
  );
}
const HAS_WATCH = existsSync(join(app.dir, "src/http/watch"));
if (HAS_WATCH && (!ONLY || ONLY.includes("fan-out"))) {
  const sizes = QUICK ? { writes: 50, seconds: 1 } : { writes: 300, seconds: 5 };
  rows.push(...(await fanOutRows({ edge, base, auth, watchers: 100, ...sizes, log })));
}
const curves = SKIP_CURVES ? [] : await measureCurves();

log("footprint");
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
    `Bundle: ${footprint.bundle.gzipKiB.toFixed(1)} KiB gzip (${footprint.bundle.rawKiB.toFixed(0)} KiB raw; target ≤ ${footprint.bundle.targetKiB} KiB: ${footprint.bundle.pass ? "met" : "missed"}); start-up CPU ${footprint.startupMs.toFixed(1)} ms`,
  );
}
const results = {
  mode: QUICK ? "quick" : "full",
  revision: app.revision,
  ...(ABLATE.length > 0 ? { ablated: ABLATE } : {}),
  at: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    model: cpus()[0]?.model,
    memGiB: totalmem() / 2 ** 30,
    loadStart,
    loadavg: loadavg(),
  },
  seconds: (Date.now() - started) / 1000,
  rounds: MODE.rounds,
  secondsPerRun: MODE.seconds,
  rows,
  curves,
  ...(SKIP_CURVES ? { curvesSkipped: ONLY ? "--only" : "--skip-curves" } : {}),
  memory,
  footprint,
  table,
};
writePlots(curves);
if (WRITE_REPORT) results.cost = costTable();
writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
if (WRITE_REPORT) {
  writeReport(join(ROOT, "BENCHMARKS.md"), resultsSection(results));
  log("BENCHMARKS.md results section rewritten");
}
log("done; bench/results.json written");
const failed =
  rows.some((r) => (r.edge?.status5xx ?? 0) > 0 || (r.check && !r.check.ok)) || curves.some((c) => c.error);
process.exit(failed ? 1 : 0);

async function measureCurves() {
  const ctx = { edge, base, auth, quick: QUICK, log };
  const out = [];
  // A curve that fails is recorded as failed (and fails the run); the others are still measured.
  const add = async (id, title, measureIt) => {
    try {
      const got = await measureIt();
      out.push(...(Array.isArray(got) ? got : [got]));
    } catch (e) {
      log(`curve ${id} failed: ${e.message}`);
      out.push({ id, title, error: e.message, x: {}, y: {}, series: [] });
    }
  };
  await add("doc-size", "Document size", () => docSizeCurve(ctx));
  await add("entity-history", "Entity history", () => entityHistoryCurve(ctx));
  if (HAS_EXECUTIONS) await add("map-items", "Map state and execution history", () => executionCurves(ctx));
  if (chosen.some((s) => s.id === "get-spread"))
    await add("listing", "Listing", () => listingCurve({ ...ctx, count: MODE.spreadCount }));
  return out;
}

function writePlots(list) {
  const dir = join(ROOT, "bench/plots");
  mkdirSync(dir, { recursive: true });
  // A failed curve leaves its last plot in place: that plot names the run it came from.
  for (const c of list.filter((x) => !x.error)) {
    const x = c.x.unit === "bytes" ? { ...c.x, format: kib } : c.x;
    const note = `${c.note ? `${c.note} · ` : ""}${QUICK ? "quick" : "full"} run, ${app.revision}`;
    writeFileSync(join(dir, `${c.id}.svg`), lineChart({ ...c, x, note }));
  }
}

/** The billable-units table of `npm run bench:cost` (it prints one between its other output). */
function costTable() {
  log("bench:cost");
  const run = spawnSync("npx", ["vitest", "run", "--config", "bench/cost/vitest.config.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const lines = (run.stdout ?? "").split("\n").filter((l) => l.startsWith("|"));
  return run.status === 0 && lines.length ? { table: lines.join("\n") } : { error: `exit ${run.status}` };
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
    seedRequest(`${url}${path}`, {
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
    log(`seeding ${MODE.spreadCount.toLocaleString("en")} entities on each side`);
    let done = 0;
    await pool(MODE.spreadCount, 32, async (i) => {
      await put(edge.url, `/v1/entities/doc/s-${i}`, DOC_TEXT, auth);
      if (++done % 2_000 === 0) log(`  ${done.toLocaleString("en")} seeded`);
    });
    log("edgestate seeded; the baseline seeds in bulk (it is not what is measured here)");
    const batch = 100; // one request per batch: small enough to answer within 30 s on a loaded machine
    await pool(Math.ceil(MODE.spreadCount / batch), 2, (b) =>
      seedRequest(
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
