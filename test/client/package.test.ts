// The package as a user gets it: `npm pack`, installed into a fresh directory outside the
// repository, imported as "edgestate/client" by a TypeScript program that is type-checked against
// the published .d.ts (strict Node ESM resolution) and then run with Node against wrangler dev.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, unique } from "./support";

const repo = resolve(import.meta.dirname, "../..");
let dir: string;
let packed: { files: { path: string }[]; filename: string };

const program = `
import { createClient, EdgestateError, type Entity, type ExecutionDescription } from "edgestate/client";

const es = createClient({ url: process.env.EDGESTATE_URL!, key: process.env.EDGESTATE_KEY! });
const id = process.env.CART_ID!;

interface Cart { items: string[] }
const session = await es.sessions.create({ subject: "ada", data: { plan: "pro" } });
await es.entities.put<Cart>("cart", id, { items: [] });
const cart: Entity<Cart> = await es.entities.update<Cart>("cart", id, (c) => ({ items: [...(c?.items ?? []), "tea"] }));
await es.machines.put("pack-order", { StartAt: "Done", States: { Done: { Type: "Succeed" } } });
const run = await es.executions.start("pack-order", { input: cart.body });
const ended: ExecutionDescription = await es.executions.wait("pack-order", run.name);
let code = "";
try {
  await es.entities.get("cart", id + "-none");
} catch (e) {
  if (e instanceof EdgestateError) code = e.code;
}
// @ts-expect-error a patch is "merge" or "json-patch"
void (() => es.entities.patch("cart", id, {}, { type: "xml" }));
// @ts-expect-error a session's ttl is a number
void (() => es.sessions.create({ ttl: "1h" }));
console.log(JSON.stringify({ subject: session.subject, version: cart.version, items: cart.body.items, status: ended.status, code }));
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edgestate-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: repo,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  packed = JSON.parse(out)[0];
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "a-user-app", private: true, type: "module" }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(dir, packed.filename)], {
    cwd: dir,
    stdio: "ignore",
  });
  writeFileSync(join(dir, "app.ts"), program);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["es2022", "dom"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        allowImportingTsExtensions: true,
      },
      files: ["app.ts", "env.d.ts"],
    }),
  );
  writeFileSync(
    join(dir, "env.d.ts"),
    "declare const process: { env: Record<string, string | undefined> };\n",
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed package", () => {
  it("holds the built client and nothing of the Worker, and depends on nothing", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/client/index.js");
    expect(paths).toContain("dist/client/index.d.ts");
    expect(paths).toContain("dist/client/generated/openapi.d.ts");
    expect(paths.filter((p) => !p.startsWith("dist/client/"))).toEqual(
      expect.arrayContaining(["package.json", "README.md"]),
    );
    expect(paths.some((p) => p.startsWith("src/"))).toBe(false);
    const installed = JSON.parse(readFileSync(join(dir, "node_modules/edgestate/package.json"), "utf8"));
    expect(installed.dependencies ?? {}).toEqual({});
  });

  it("type-checks a user's program against the published .d.ts, refusing what it must", () => {
    execFileSync(join(repo, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], {
      cwd: dir,
      encoding: "utf8",
    });
    // Without the @ts-expect-error lines the same program fails: the types are real.
    writeFileSync(join(dir, "app.ts"), program.replaceAll("// @ts-expect-error", "//"));
    expect(() =>
      execFileSync(join(repo, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: dir }),
    ).toThrow();
    writeFileSync(join(dir, "app.ts"), program);
  });

  it("runs as a user would run it: import from edgestate/client, against the server", () => {
    const id = unique("packed");
    const out = execFileSync(process.execPath, ["app.ts"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, EDGESTATE_URL: baseUrl(), EDGESTATE_KEY: adminKey(), CART_ID: id },
    });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({
      subject: "ada",
      version: 2,
      items: ["tea"],
      status: "SUCCEEDED",
      code: "not-found",
    });
  });
});
