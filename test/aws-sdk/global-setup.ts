// One `wrangler dev` for the AWS SDK suite (test/support/dev-server.ts). SDK_TEST_PORTS=
// "18310,18311,18312" pins its ports (the last: a local HTTP service the TestState tests call, which
// the server's HTTP_TASK_ALLOWED_ORIGINS lists); otherwise the OS picks free ones.
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
    servicePort: number;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "edgestate-sdk-"));
  const envFile = join(dir, "test.env");
  writeFileSync(
    envFile,
    `ADMIN_KEY=${TEST_ADMIN_KEY}\nENCRYPTION_KEYS='${JSON.stringify(TEST_ENCRYPTION_KEYS)}'\n`,
  );
  const [port = 0, inspectorPort = 0, servicePort = 0] = await portsFrom("SDK_TEST_PORTS", 3);
  const server = await startDevServer({
    port,
    inspectorPort,
    persistTo: join(dir, "state"),
    envFile,
    vars: { LOG_REQUESTS: "false", HTTP_TASK_ALLOWED_ORIGINS: `https://*:*,http://127.0.0.1:${servicePort}` },
  }).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  project.provide("baseUrl", server.url);
  project.provide("adminKey", TEST_ADMIN_KEY);
  project.provide("servicePort", servicePort);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
