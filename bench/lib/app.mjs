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
export function snapshotApp(ROOT, work, TREE) {
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
  const vars = existsSync(join(ROOT, ".dev.vars")) ? ".dev.vars" : ".dev.vars.example";
  copyFileSync(join(ROOT, vars), join(dir, ".dev.vars"));
  const revision = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
  return { dir, revision: TREE === "working" ? `${revision} + working tree` : revision };
}

/** A value from the snapshot's .dev.vars (development secrets only). */
export function devVar(dir, name) {
  const text = readFileSync(join(dir, ".dev.vars"), "utf8");
  const value = new RegExp(`^${name}=(.*)$`, "m").exec(text)?.[1]?.trim();
  if (!value) throw new Error(`${name} is not in .dev.vars`);
  return value.replace(/^'(.*)'$/, "$1");
}
