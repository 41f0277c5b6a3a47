// Crash soak: `node scripts/crash/main.mjs [--kills=12] [--port=8801]` (the task server takes
// port+1, the inspector port+100). Starts `npx wrangler dev` on a fresh persisted folder, drives
// entity writes (If-Match, Idempotency-Key), transactions, sessions, executions (Wait, Retry,
// http:invoke, entity tasks) and callbacks against it, SIGKILLs its process group at random
// moments and restarts it on the same state, then checks that nothing acknowledged was lost,
// applied twice, applied in part or left held, that replays match, and that indexes and KV copies
// converge. Kill times are random; the checks are exact. Stops by itself within 3 minutes; exit
// code 0 when every check held, 1 with FAIL lines otherwise (the state folder is then kept).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { approval, callbackDriver, callbacks, verifyCallbacks } from "./callbacks.mjs";
import { entities, entityWriter, verifyCopies, verifyEntities } from "./entities.mjs";
import { definition, execs, executionStarter, taskServer, verifyExecutions } from "./executions.mjs";
import { ctx, sleep, until } from "./http.mjs";
import { lifecycle, recreator, verifyLifecycle } from "./lifecycle.mjs";
import { checkSessions, sessionDriver, sessions } from "./sessions.mjs";
import { server as makeServer } from "./setup.mjs";
import { setupAccounts, transferer, tx, verifyTransactions } from "./transactions.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, d) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
const KILLS = arg("kills", 12);
const PORT = arg("port", 8801);
const TASK_PORT = PORT + 1;
const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
const dir = mkdtempSync(join(tmpdir(), "edgestate-crash-"));
const srv = makeServer(root, dir, PORT, TASK_PORT);
ctx.base = srv.url;

const hard = setTimeout(() => {
  console.log(`HARD STOP at ${elapsed()} s`);
  srv.killSync();
  process.exit(2);
}, 175_000);
process.on("exit", () => srv.killSync());
process.on("SIGINT", () => process.exit(130));

const tasks = await taskServer(TASK_PORT);
let up = false;
ctx.serverUp = () => up;
await srv.start();
up = true;
ctx.upSince = Date.now();
console.log(`[${elapsed()}] up at ${srv.url}, state in ${dir}`);
const m = await until("PUT", "/v1/machines/crashm", { body: definition(TASK_PORT) });
if (m.status !== 201) throw new Error(`machine: ${m.status} ${m.text}`);
const am = await until("PUT", "/v1/machines/approval", { body: approval });
if (am.status !== 201) throw new Error(`approval machine: ${am.status} ${am.text}`);
await setupAccounts();
const ix = await until("PUT", "/v1/indexes/doc/by-g", { body: { keys: ["/g"] } });
if (ix.status !== 201) throw new Error(`index: ${ix.status} ${ix.text}`);
const ix2 = await until("PUT", "/v1/indexes/acct/by-tx", { body: { keys: ["/tx"] } });
if (ix2.status !== 201) throw new Error(`index: ${ix2.status} ${ix2.text}`);

let loadOn = true;
const running = () => loadOn;
const workers = [
  ...["d0", "d1", "d2"].map((id) => entityWriter(id, running)),
  transferer(0, running),
  transferer(1, running),
  sessionDriver(running),
  executionStarter(running),
  callbackDriver(running),
  recreator(running),
];

let kills = 0;
while (kills < KILLS && Date.now() - t0 < 65_000) {
  // now and then a kill while the restart is still recovering (alarms resuming, holds resolving)
  await sleep(Math.random() < 0.25 ? 200 + Math.random() * 800 : 1_000 + Math.random() * 5_000);
  up = false;
  await srv.kill();
  kills++;
  console.log(
    `[${elapsed()}] (${Date.now()}) SIGKILL #${kills} (writes acked ${entities.acked}, tx ${tx.committed}, sessions ${sessions.created}, executions ${execs.started})`,
  );
  await sleep(Math.random() * 1_500);
  await srv.start();
  up = true;
  ctx.upSince = Date.now();
  console.log(`[${elapsed()}] restarted`);
  await checkSessions(false);
}
await sleep(3_000);
loadOn = false;
await Promise.all(workers);
console.log(`[${elapsed()}] load stopped; verifying`);

const ex = await verifyExecutions(t0 + 160_000);
console.log(`[${elapsed()}] executions: ${JSON.stringify(ex)}`);
await verifyCallbacks(t0 + 160_000);
console.log(`[${elapsed()}] callbacks checked`);
await checkSessions(true);
console.log(`[${elapsed()}] sessions checked`);
const entityReplays = await verifyEntities();
console.log(`[${elapsed()}] entities checked`);
await verifyLifecycle();
console.log(`[${elapsed()}] deletes and expiries checked`);
console.log(`[${elapsed()}] copies: ${await verifyCopies(Date.now() + 15_000)}`);
const txReplays = await verifyTransactions();
clearTimeout(hard);
tasks.close();
await srv.kill();
console.log(
  JSON.stringify(
    {
      seconds: Number(elapsed()),
      kills,
      requests: ctx.stats,
      entities: {
        writes: entities.writes,
        acked: entities.acked,
        retriedAfterLoss: entities.retriedAfterLoss,
        replays: entityReplays,
      },
      transactions: { ...tx, log: undefined, replays: txReplays },
      sessions: { ...sessions, list: undefined },
      executions: {
        started: execs.started,
        ...ex,
        httpCalls: execs.calls,
        duplicateCalls: execs.duplicateCalls,
      },
      callbacks: { started: callbacks.started, delivered: callbacks.delivered },
      lifecycle: {
        ops: lifecycle.ops,
        version: lifecycle.version,
        replays: lifecycle.replays,
        ttlDocs: lifecycle.ttlDocs,
      },
      failures: ctx.failures.length,
    },
    null,
    1,
  ),
);
if (ctx.failures.length === 0) rmSync(dir, { recursive: true, force: true });
process.exit(ctx.failures.length ? 1 : 0);
