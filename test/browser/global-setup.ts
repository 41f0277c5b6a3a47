// Starts `wrangler dev` on a free port with throwaway storage and test secrets, and stops its whole
// process group afterwards. Tests get the base URL and the admin key through `inject`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../support/test-secrets";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminKey: string;
  }
}

const READY_TIMEOUT_MS = 90_000;

function freePort(): Promise<number> {
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

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become ready in ${READY_TIMEOUT_MS} ms:\n${log()}`);
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "edgestate-browser-"));
  const envFile = join(dir, "test.env");
  // The suite's own secrets, so a clean clone (no .dev.vars) runs the same as a developer's checkout.
  writeFileSync(
    envFile,
    `ADMIN_KEY=${TEST_ADMIN_KEY}\nENCRYPTION_KEYS='${JSON.stringify(TEST_ENCRYPTION_KEYS)}'\n`,
  );
  // BROWSER_TEST_PORTS="18210,18211" pins the dev server and inspector ports (machines where each
  // user owns a port range); otherwise the OS picks two free ones.
  const pinned = process.env.BROWSER_TEST_PORTS?.split(",").map(Number);
  const [port, inspectorPort] =
    pinned?.length === 2 && pinned.every((p) => Number.isInteger(p) && p > 0)
      ? (pinned as [number, number])
      : [await freePort(), await freePort()];
  let output = "";
  const child = spawn(
    "node_modules/.bin/wrangler",
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      join(dir, "state"),
      "--env-file",
      envFile,
      "--var",
      "LOG_REQUESTS:false",
      "--show-interactive-dev-session=false",
    ],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } },
  );
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    // The whole process group: wrangler and the workerd it started.
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitUntilReady(baseUrl, child, () => output);
  } catch (e) {
    stop();
    throw e;
  }
  project.provide("baseUrl", baseUrl);
  project.provide("adminKey", TEST_ADMIN_KEY);

  return async () => {
    stop();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  };
}
