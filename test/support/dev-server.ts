// `wrangler dev` for the suites that need a real server (the console in Chromium, the README's
// examples): its own process group, throwaway storage, bounded start and stop.
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

export interface DevServerOptions {
  port: number;
  inspectorPort: number;
  /** --persist-to: a fresh temporary folder, so every run starts from empty storage. */
  persistTo: string;
  /** Secrets and var overrides, as `.dev.vars` would hold them. */
  envFile: string;
  /** --var overrides on top of the env file. */
  vars?: Record<string, string>;
  /** -c: another Worker's wrangler config instead of the project's. */
  config?: string;
  /** Environment of the wrangler process (WRANGLER_REGISTRY_PATH: a private dev registry). */
  env?: Record<string, string>;
}

export interface DevServer {
  url: string;
  /** Everything wrangler printed so far (for a failure message). */
  output(): string;
  /** SIGINT to the whole process group (wrangler and its workerd), SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Ports from an environment variable such as BROWSER_TEST_PORTS="18210,18211" (machines where each
 * user owns a port range), else `count` free ones the OS picks.
 */
export async function portsFrom(variable: string, count: number): Promise<number[]> {
  const pinned = process.env[variable]?.split(",").map(Number);
  if (pinned?.length === count && pinned.every((p) => Number.isInteger(p) && p > 0)) return pinned;
  if (pinned) throw new Error(`${variable} must list ${count} ports, comma-separated`);
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--inspector-port",
    String(options.inspectorPort),
    "--persist-to",
    options.persistTo,
    "--env-file",
    options.envFile,
    "--show-interactive-dev-session=false",
    ...(options.config ? ["-c", options.config] : []),
  ];
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  // detached: wrangler leads its own process group, so stop() reaches the workerd it starts.
  const child = spawn("node_modules/.bin/wrangler", args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", ...options.env },
  });
  let output = "";
  const collect = (b: Buffer) => {
    output += b.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const server: DevServer = {
    url: `http://127.0.0.1:${options.port}`,
    output: () => output,
    stop: () => stopGroup(child, options.port),
  };
  try {
    await waitUntilReady(server, child);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

async function waitUntilReady(server: DevServer, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`wrangler dev exited early (${child.exitCode}):\n${server.output()}`);
    }
    try {
      const res = await fetch(`${server.url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become ready in ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
}

async function stopGroup(child: ChildProcess, port: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is already gone
    }
  };
  signal("SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), STOP_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === "late") {
    signal("SIGKILL");
    await exited;
  }
  // workerd may outlive wrangler by a moment; a restart must find the port free.
  signal("SIGKILL");
  await waitUntilClosed(port);
}

async function waitUntilClosed(port: number): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} still answers ${STOP_TIMEOUT_MS} ms after wrangler dev was stopped`);
}
