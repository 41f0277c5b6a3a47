// Bundle size (gzip, from `wrangler deploy --dry-run`) and module start-up time (from
// `wrangler check startup`, which profiles the Worker's top-level evaluation in local workerd).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Issue 13: the Worker, every module of it, at most 200 KiB gzip. */
export const BUNDLE_TARGET_KIB = 200;

export function bundleSize(root, outdir) {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    stdio: "ignore",
    timeout: 180_000,
  });
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(outdir)) {
    if (!/\.(m?js|wasm)$/.test(name)) continue; // source maps are not uploaded as code
    const bytes = readFileSync(join(outdir, name));
    raw += statSync(join(outdir, name)).size;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return {
    rawKiB: raw / 1024,
    gzipKiB: gzip / 1024,
    targetKiB: BUNDLE_TARGET_KIB,
    pass: gzip / 1024 <= BUNDLE_TARGET_KIB,
  };
}

/** CPU time of start-up: profile length minus the samples the profiler attributed to (idle). */
export function startupTime(root, outfile) {
  execFileSync("npx", ["wrangler", "check", "startup", "--outfile", outfile], {
    cwd: root,
    stdio: "ignore",
    timeout: 180_000,
  });
  const profile = JSON.parse(readFileSync(outfile, "utf8"));
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    if (!idle.has(id)) busyUs += profile.timeDeltas[i] ?? 0;
  });
  return { startupMs: busyUs / 1000, profileMs: (profile.endTime - profile.startTime) / 1000 };
}
