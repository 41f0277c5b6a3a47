// Starts `wrangler dev` on a free port with throwaway storage and test secrets, and stops its whole
// process group afterwards. Tests get the base URL and the admin key through `inject`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { portsFrom, startDevServer } from "../support/dev-server";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../support/test-secrets";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminKey: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "edgestate-browser-"));
  const envFile = join(dir, "test.env");
  // The suite's own secrets, so a clean clone (no .dev.vars) runs the same as a developer's checkout.
  writeFileSync(
    envFile,
    `ADMIN_KEY=${TEST_ADMIN_KEY}\nENCRYPTION_KEYS='${JSON.stringify(TEST_ENCRYPTION_KEYS)}'\n`,
  );
  // BROWSER_TEST_PORTS="18210,18211" pins the dev server and inspector ports.
  const [port, inspectorPort] = (await portsFrom("BROWSER_TEST_PORTS", 2)) as [number, number];
  const server = await startDevServer({
    port,
    inspectorPort,
    persistTo: join(dir, "state"),
    envFile,
    vars: { LOG_REQUESTS: "false" },
  }).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  project.provide("baseUrl", server.url);
  project.provide("adminKey", TEST_ADMIN_KEY);

  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
