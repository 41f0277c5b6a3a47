// `npm run bench:profile [-- --log-on] [-- --ablate=kv-copy,rate-limit] [-- --only=put] [-- --inclusive]`: where a request's CPU goes. Starts
// edgestate and the baseline under `wrangler dev`, loads one scenario at a time at 16 clients
// and records a CPU profile of each Worker's isolate through its inspector port. Prints CPU
// milliseconds per request on both sides and edgestate's hottest functions.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ablationsOf, devVar, snapshotApp } from "./lib/app.mjs";
import { load } from "./lib/load.mjs";
import { passChain } from "./lib/machines.mjs";
import { installCleanup, startWorker } from "./lib/processes.mjs";
import { connectProfiler, summarise } from "./lib/profiler.mjs";
import { DOC_TEXT, scenarios, WRITE_SPREAD } from "./lib/scenarios.mjs";
import { pool, request } from "./lib/seed.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const LOG_ON = args.includes("--log-on");
const INCLUSIVE = args.includes("--inclusive");
const SECONDS = 5;
const ONLY = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");

installCleanup();
const work = mkdtempSync(join(tmpdir(), "edgestate-profile-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const ABLATE = ablationsOf(args);
// Unminified, so the profile names functions.
const app = snapshotApp(ROOT, work, args.includes("--tree=working") ? "working" : "head", {
  ablate: ABLATE,
  minify: false,
});
const edge = await startWorker({
  name: "edgestate",
  cwd: app.dir,
  configPath: join(app.dir, "wrangler.toml"),
  persistTo: join(work, "edge-state"),
  vars: [`LOG_REQUESTS:${LOG_ON}`],
  logFile: "/dev/null",
});
const base = await startWorker({
  name: "baseline",
  cwd: join(ROOT, "bench/baseline"),
  configPath: join(ROOT, "bench/baseline/wrangler.toml"),
  persistTo: join(work, "base-state"),
  logFile: "/dev/null",
});
const { text } = await request(`${edge.url}/v1/keys`, {
  method: "POST",
  headers: { Authorization: `Bearer ${devVar(app.dir, "ADMIN_KEY")}`, "Content-Type": "application/json" },
  body: JSON.stringify({ tenant: "bench", scopes: ["read", "write"], name: "profile" }),
});
const auth = { Authorization: `Bearer ${JSON.parse(text).key}` };
const json = { ...auth, "Content-Type": "application/json" };
await request(`${edge.url}/v1/entities/doc/hot`, { method: "PUT", headers: json, body: DOC_TEXT });
await request(`${base.url}/do?k=hot`, { method: "PUT", body: DOC_TEXT });
await request(`${base.url}/kv?k=hot`, { method: "PUT", body: DOC_TEXT });
await pool(WRITE_SPREAD, 16, async (i) => {
  await request(`${edge.url}/v1/entities/doc/w-${i}`, { method: "PUT", headers: json, body: DOC_TEXT });
  await request(`${base.url}/do?k=w-${i}`, { method: "PUT", body: DOC_TEXT });
});

const [edgeProfiler, baseProfiler] = await Promise.all([
  connectProfiler(edge.inspectorPort),
  connectProfiler(base.inspectorPort),
]);
await request(`${edge.url}/v1/entities/doc/one`, { method: "PUT", headers: json, body: DOC_TEXT });
const chosen = scenarios({ auth, spreadCount: 1, patchOneAmount: 1 })
  .filter((s) => ["get-strong", "get-eventual", "put", "patch-merge", "patch-one", "tx-2"].includes(s.id))
  // One entity patched by every client: each merge patch sets a field (the run's own check of
  // acknowledged versions is `npm run bench`'s, not this).
  .map((s) =>
    s.id === "patch-one"
      ? {
          ...s,
          edge: { ...s.edge, body: JSON.stringify({ n: 1 }), connections: 64 },
          base: { ...s.base, connections: 64 },
        }
      : s,
  );
// A 100-Pass-state execution run to its end (`?wait`), one at a time: the engine, the sealed
// history and the commit; measured against the no-op (a Workflow's local run is not worth a profile).
await request(`${edge.url}/v1/machines/bench-100`, {
  method: "PUT",
  headers: json,
  body: JSON.stringify(passChain(100)),
});
chosen.push({
  id: "machine-100",
  edge: {
    method: "POST",
    path: "/v1/machines/bench-100/executions?wait=60",
    headers: json,
    body: JSON.stringify({ input: { n: 1 } }),
    connections: 1,
  },
  base: { method: "GET", path: "/noop", connections: 1 },
});
const noop = { method: "GET", path: "/noop" };
const all = [...chosen, { id: "no-op", edge: { method: "GET", path: "/healthz" }, base: noop }];
for (const s of all.filter((x) => !ONLY || ONLY.includes(x.id))) {
  const side = async (profiler, url, shape) => {
    const connections = shape.connections ?? 16;
    await load({ url, connections, seconds: 1, ...shape });
    await profiler.start();
    const r = await load({ url, connections, seconds: SECONDS, ...shape });
    const summary = summarise(await profiler.stop(), 25, devBundle(app.dir));
    return { r, summary, cpuMsPerRequest: summary.busyMs / Math.max(1, r.requests) };
  };
  const e = await side(edgeProfiler, edge.url, s.edge);
  const b = await side(baseProfiler, base.url, s.base);
  console.log(
    `\n## ${s.id}${LOG_ON ? " (request log on)" : ""}${ABLATE.length ? ` (without ${ABLATE.join(", ")})` : ""}: isolate CPU per request — edgestate ${e.cpuMsPerRequest.toFixed(2)} ms (${e.r.rps.toFixed(0)} req/s), baseline ${b.cpuMsPerRequest.toFixed(2)} ms (${b.r.rps.toFixed(0)} req/s)`,
  );
  console.log(
    "areas (inclusive, share of busy time):",
    Object.entries(e.summary.areas)
      .map(([k, v]) => `${k} ${(v.share * 100).toFixed(0)}%`)
      .join(", "),
  );
  console.log("self time:");
  for (const f of e.summary.top.slice(0, 15)) {
    console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  }
  if (INCLUSIVE) {
    console.log("inclusive time (every function on the stack):");
    for (const f of e.summary.inclusive.slice(0, 40)) {
      console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
    }
  }
}
/** The bundle wrangler dev serves (the newest under .wrangler/tmp), to name anonymous functions. */
function devBundle(dir) {
  const tmp = join(dir, ".wrangler/tmp");
  if (!existsSync(tmp)) return null;
  const candidates = readdirSync(tmp)
    .map((d) => join(tmp, d, "index.js"))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? null;
}

edgeProfiler.close();
baseProfiler.close();
await Promise.all([edge.stop(), base.stop()]);
process.exit(0);
