// The app as the benchmark serves it: a private snapshot, so other people's edits cannot restart it.
import { execSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/**
 * A private copy of the app to serve: `wrangler dev` restarts its Worker whenever a watched
 * source file changes, and other people edit this tree while the benchmark runs. Default: the
 * committed HEAD (`git archive`); `--tree=working` copies the working tree's files instead.
 * One change to wrangler.toml: the per-key rate limit (600/min) is raised so the benchmark
 * measures serving, not throttling; the limiter binding is still called on every request.
 */
export function snapshotApp(ROOT, work, TREE, { ablate = [], minify } = {}) {
  const dir = join(work, "app");
  mkdirSync(dir, { recursive: true });
  if (TREE === "working") {
    for (const entry of ["src", "wrangler.toml", "package.json", "tsconfig.json"]) {
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    }
  } else {
    execSync(
      `git archive HEAD src wrangler.toml package.json tsconfig.json | tar -x -C ${JSON.stringify(dir)}`,
      {
        cwd: ROOT,
      },
    );
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const toml = readFileSync(join(dir, "wrangler.toml"), "utf8");
  writeFileSync(
    join(dir, "wrangler.toml"),
    toml.replace(/simple\s*=\s*\{\s*limit\s*=\s*\d+/g, "simple = { limit = 1000000000"),
  );
  for (const name of ablate) ablateIn(dir, name);
  if (minify === false) {
    const t = readFileSync(join(dir, "wrangler.toml"), "utf8");
    writeFileSync(join(dir, "wrangler.toml"), t.replace(/^minify\s*=\s*true/m, "minify = false"));
  }
  const vars = existsSync(join(ROOT, ".dev.vars")) ? ".dev.vars" : ".dev.vars.example";
  copyFileSync(join(ROOT, vars), join(dir, ".dev.vars"));
  const revision = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
  return { dir, revision: TREE === "working" ? `${revision} + working tree` : revision };
}

/** The ablations a command line names (`--ablate=kv-copy,rate-limit`), none when it names none. */
export const ablationsOf = (args) =>
  (
    args
      .find((a) => a.startsWith("--ablate="))
      ?.slice(9)
      .split(",") ?? []
  ).filter(Boolean);

/**
 * Profiling experiments on the snapshot only (never the tree): each takes one cost out of the
 * request path, so its share can be measured by difference.
 */
const ABLATIONS = {
  // The KV writes after each commit (the index entry; under a copy lease also the copy's seal and write).
  "kv-copy": {
    file: "src/objects/entity-copies.ts",
    from: /(private async write(?:Index|Copy)\([^)]*\): Promise<void> \{)/g,
    to: "$1\n  if (globalThis) return; // ablated by bench/profile.mjs",
  },
  // The per-key rate limiter (the binding's local simulation).
  "rate-limit": {
    file: "src/http/middleware/rate-limit.ts",
    from: /\(await c\.env\.RATE_LIMITER\.limit\(\{ key: rateLimitKey\(principal\) \}\)\)\.success/,
    to: "true",
  },
};

function ablateIn(dir, name) {
  const a = ABLATIONS[name];
  if (!a) throw new Error(`unknown ablation ${name}; known: ${Object.keys(ABLATIONS).join(", ")}`);
  const path = join(dir, a.file);
  const text = readFileSync(path, "utf8");
  if (!text.match(a.from)) throw new Error(`ablation ${name} no longer applies to ${a.file}`);
  writeFileSync(path, text.replace(a.from, a.to));
}

/** A value from the snapshot's .dev.vars (development secrets only). */
export function devVar(dir, name) {
  const text = readFileSync(join(dir, ".dev.vars"), "utf8");
  const value = new RegExp(`^${name}=(.*)$`, "m").exec(text)?.[1]?.trim();
  if (!value) throw new Error(`${name} is not in .dev.vars`);
  return value.replace(/^'(.*)'$/, "$1");
}
