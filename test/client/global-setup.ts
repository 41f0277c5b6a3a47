// The client suite's servers: edgestate under `wrangler dev`, and a second Worker (test/client/
// caller) bound to it by a service binding, in its own `wrangler dev`. Both register in a private
// dev registry, so the binding reaches this edgestate and no other one running on the machine.
// The client is built first (dist/client): the tests import it as a user does, "edgestate/client".
// CLIENT_TEST_PORTS="19010,19011,19012,19013,19014" pins edgestate's port and inspector port, the
// caller's two, and the fault proxy's; otherwise the OS picks free ones.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type DevServer, portsFrom, startDevServer } from "../support/dev-server";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../support/test-secrets";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    callerUrl: string;
    adminKey: string;
    proxyPort: number;
  }
}

export default async function setup(project: TestProject) {
  execFileSync(process.execPath, ["scripts/build-client.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
  const dir = mkdtempSync(join(tmpdir(), "edgestate-client-"));
  const envFile = join(dir, "test.env");
  writeFileSync(
    envFile,
    `ADMIN_KEY=${TEST_ADMIN_KEY}\nENCRYPTION_KEYS='${JSON.stringify(TEST_ENCRYPTION_KEYS)}'\n`,
  );
  const registry = join(dir, "registry");
  mkdirSync(registry);
  const env = { WRANGLER_REGISTRY_PATH: registry };
  const [port = 0, inspectorPort = 0, callerPort = 0, callerInspectorPort = 0, proxyPort = 0] =
    await portsFrom("CLIENT_TEST_PORTS", 5);
  const servers: DevServer[] = [];
  const stopAll = async () => {
    for (const server of servers.reverse()) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers.push(
      await startDevServer({
        port,
        inspectorPort,
        persistTo: join(dir, "state"),
        envFile,
        env,
        vars: { LOG_REQUESTS: "false" },
      }),
    );
    servers.push(
      await startDevServer({
        port: callerPort,
        inspectorPort: callerInspectorPort,
        persistTo: join(dir, "caller-state"),
        envFile,
        env,
        config: "test/client/caller/wrangler.toml",
      }),
    );
  } catch (e) {
    await stopAll();
    throw e;
  }
  project.provide("baseUrl", servers[0]!.url);
  project.provide("callerUrl", servers[1]!.url);
  project.provide("adminKey", TEST_ADMIN_KEY);
  project.provide("proxyPort", proxyPort);
  return stopAll;
}
