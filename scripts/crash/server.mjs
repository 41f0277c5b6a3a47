// `npx wrangler dev` on a persisted folder, in its own process group, that the crash soak SIGKILLs
// (the whole group: wrangler and the workerd it started) and starts again on the same state.
import { spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

/** A copy of wrangler.toml with absolute paths and a rate limit that never throttles the soak. */
export function writeConfig(root, dir) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = "src\/index.ts"/m, `main = "${join(root, "src/index.ts")}"`)
    .replace(/"\.\/src\/bundle\/zod\.ts"/, `"${join(root, "src/bundle/zod.ts")}"`)
    .replace(/simple\s*=\s*\{\s*limit\s*=\s*\d+/g, "simple = { limit = 1000000000");
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, toml);
  return path;
}

export function devServer({ root, config, persistTo, port, inspectorPort, logFile, vars }) {
  let child = null;
  const url = `http://127.0.0.1:${port}`;
  async function start() {
    const args = ["wrangler", "dev", "-c", config, "--ip", "127.0.0.1", "--port", String(port)];
    args.push("--inspector-port", String(inspectorPort), "--persist-to", persistTo);
    args.push("--env-file", join(root, ".dev.vars.example"), "--show-interactive-dev-session=false");
    for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
    const out = openSync(logFile, "a");
    child = spawn("npx", args, {
      cwd: root,
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler exited early; see ${logFile}`);
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not healthy in 60 s; see ${logFile}`);
  }
  function signal(name) {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, name);
    } catch {}
  }
  async function kill() {
    signal("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await open(port))) await new Promise((r) => setTimeout(r, 100));
    signal("SIGKILL");
  }
  return { url, start, kill, killSync: () => signal("SIGKILL") };
}

function open(port) {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
