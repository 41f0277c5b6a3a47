// Child processes for the benchmark: `wrangler dev` servers in their own process groups, killed
// (group and all) on exit, error or Ctrl-C, so a run never leaves a workerd behind.
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

const children = new Set();

/**
 * The ports this process may listen on: BENCH_PORTS=18800-18899 keeps every server of a run inside
 * a range (a shared machine gives each user one); unset, the OS picks any free port.
 */
function portRange() {
  const raw = process.env.BENCH_PORTS;
  if (!raw) return null;
  const m = /^(\d+)-(\d+)$/.exec(raw.trim());
  if (!m || Number(m[1]) > Number(m[2]))
    throw new Error(`BENCH_PORTS must look like 18800-18899, got ${raw}`);
  return { from: Number(m[1]), to: Number(m[2]) };
}

/** Ports handed out by this process, so two servers started in turn never get the same one. */
const handedOut = new Set();

function listenable(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/** A port free on 127.0.0.1 right now: from BENCH_PORTS when set, else any the OS gives. */
export async function freePort() {
  const range = portRange();
  if (!range) return listenable(0);
  for (let port = range.from; port <= range.to; port++) {
    if (handedOut.has(port)) continue;
    if ((await listenable(port)) === port) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port left in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

/**
 * Starts `npx wrangler dev` on 127.0.0.1 with its own persistence directory and request logging
 * off (wrangler's own at --log-level warn; the app's through `vars`).
 */
export async function startWorker(options, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      // Ports are picked free, but wrangler picks its own internal ones too and may race us.
      if (attempt >= attempts || !String(e.message).includes("exited early")) throw e;
    }
  }
}

async function startOnce({ name, cwd, configPath, persistTo, vars = [], logFile }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    "wrangler",
    "dev",
    "--config",
    configPath,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--log-level",
    "warn",
    ...vars.flatMap((v) => ["--var", v]),
  ];
  const out = openSync(logFile, "a");
  const child = spawn("npx", args, {
    cwd,
    detached: true, // its own process group: we kill the group, workerd included
    stdio: ["ignore", out, out],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/healthz`, child, name, logFile);
  return { name, url, pid: child.pid, inspectorPort, stop: () => stopGroup(child) };
}

async function waitHealthy(url, child, name, logFile, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early; see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not healthy within ${timeoutMs / 1000} s; see ${logFile}`);
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopGroup(child) {
  signalGroup(child, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && groupMembers(child.pid).length)
    await new Promise((r) => setTimeout(r, 100));
  signalGroup(child, "SIGKILL");
  children.delete(child);
}

/** Kills every group we started; synchronous, so it can run in an `exit` handler. */
export function killAll() {
  for (const child of children) signalGroup(child, "SIGKILL");
  children.clear();
}

export function installCleanup() {
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the servers`);
      killAll();
      process.exit(130);
    });
  }
  process.on("uncaughtException", (e) => {
    console.error(e);
    killAll();
    process.exit(1);
  });
  process.on("unhandledRejection", (e) => {
    console.error(e);
    killAll();
    process.exit(1);
  });
}

/** Processes in a process group: [{ pid, comm }] read from /proc (Linux). */
function groupMembers(pgid) {
  const members = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), comm });
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** Resident memory of the workerd processes of one server: current and peak (VmHWM), KiB. */
export function workerdMemory(pgid) {
  return groupMembers(pgid)
    .filter((p) => p.comm === "workerd")
    .map(({ pid }) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
        return { pid, rssKiB: kib("VmRSS"), peakKiB: kib("VmHWM") };
      } catch {
        return { pid, rssKiB: 0, peakKiB: 0 };
      }
    });
}
