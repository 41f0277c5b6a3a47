// The README runs top to bottom: every shell block, in order, in one bash session, against a fresh
// `wrangler dev` that reads its secrets from a copy of .dev.vars.example, as `npm run dev` would.
// Each command must succeed and show what its comments claim (the convention: commands.ts).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, type DevServerOptions, portsFrom, startDevServer } from "../support/dev-server";
import { type Command, commands, hasHeader, shows } from "./commands";
import { shellBlocks } from "./markdown-blocks";
import { type Outcome, ShellSession } from "./shell-session";

/** The longest a single command may take (the longest README wait is ?wait=10). */
const COMMAND_TIMEOUT_MS = 45_000;
/** The README's own addresses, replaced by the test's: the dev server, and its example local service. */
const README_SERVER = /\b(?:127\.0\.0\.1|localhost):8787\b/;
const README_LOCAL_SERVICE_PORT = /\b8899\b/g;

const blocks = shellBlocks(readFileSync("README.md", "utf8"));
let dir: string;
let server: DevServer;
let serverOptions: DevServerOptions;
let shell: ShellSession;
let localServicePort: number;
let failed = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edgestate-readme-"));
  // The reader's checkout: where .dev.vars.example is, and where `npm run dev` makes .dev.vars.
  const work = join(dir, "checkout");
  mkdirSync(work);
  copyFileSync(".dev.vars.example", join(work, ".dev.vars.example"));
  copyFileSync(".dev.vars.example", join(work, ".dev.vars"));
  // README_TEST_PORTS="18212,18213,18214": the server, its inspector, the example local service.
  const [port, inspectorPort, localPort] = (await portsFrom("README_TEST_PORTS", 3)) as [
    number,
    number,
    number,
  ];
  localServicePort = localPort;
  serverOptions = { port, inspectorPort, persistTo: join(dir, "state"), envFile: join(work, ".dev.vars") };
  server = await startDevServer(serverOptions);
  shell = ShellSession.start(work, dir);
});

afterAll(async () => {
  await shell?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the README, pasted block by block", () => {
  it("has shell blocks, and skips only those that cannot run against npm run dev", () => {
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(10);
    for (const block of blocks.filter((b) => b.skip)) {
      // A skipped block may start, test or deploy the project; an API example must run.
      expect(block.text, `README line ${block.line}`).not.toMatch(/\bcurl\b|\$BASE\b/);
    }
  });

  for (const block of blocks) {
    const title = `${block.heading} (README line ${block.line})`;
    if (block.skip) {
      it.skip(`${title}: ${block.skip}`, () => {});
      continue;
    }
    it(title, { timeout: 300_000 }, async (context) => {
      if (failed) context.skip("an earlier block failed");
      failed = true;
      if (block.restart) {
        await server.stop();
        server = await startDevServer(serverOptions);
      }
      expect(addressesServerDirectly(block.text), "address the dev server through $BASE").toBe(false);
      const text = block.text
        .replace(/^(\s*(?:export\s+)?BASE=)http:\/\/127\.0\.0\.1:8787\b/gm, `$1${server.url}`)
        .replace(README_LOCAL_SERVICE_PORT, String(localServicePort));
      for (const command of commands(text, block.line)) {
        check(command, await shell.run(command.text, COMMAND_TIMEOUT_MS));
      }
      failed = false;
    });
  }
});

/** The README's address outside a `BASE=` line (the one place it may appear). */
function addressesServerDirectly(text: string): boolean {
  return README_SERVER.test(text.replace(/^\s*(?:export\s+)?BASE=.*$/gm, ""));
}

function check(command: Command, outcome: Outcome): void {
  const where = `README line ${command.line}:\n$ ${command.text}\n--- output ---\n${outcome.output}\n---`;
  expect(outcome.timedOut, `${where}\nstill running after ${COMMAND_TIMEOUT_MS} ms`).toBe(false);
  expect(outcome.exitCode, `${where}\nexit status`).toBe(0);
  expect(outcome.statuses, `${where}\na curl got no reply`).not.toContain(0);
  const last = outcome.statuses.at(-1);
  if (command.expect.status !== undefined) {
    expect(last, `${where}\nthe status its comment claims`).toBe(command.expect.status);
  } else if (last !== undefined) {
    expect(last, `${where}\nno status is claimed, so it must succeed`).toBeLessThan(400);
  }
  for (const { name, value } of command.expect.headers) {
    expect(hasHeader(outcome.output, name, value), `${where}\nthe header ${name}: ${value}`).toBe(true);
  }
  for (const pattern of command.expect.output) {
    expect(shows(outcome.output, pattern), `${where}\nthe output its comment shows: ${pattern}`).toBe(true);
  }
}
