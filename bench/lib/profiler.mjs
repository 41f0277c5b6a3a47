// A CPU profile of the Worker's isolate under load, through wrangler dev's inspector port
// (Chrome DevTools protocol over WebSocket), summarised as self time per function.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function connectProfiler(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  // The inspector proxy refuses a connection without an Origin (undici takes extra headers here).
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { Origin: `http://127.0.0.1:${inspectorPort}` },
  });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data));
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  };
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  return {
    start: () => send("Profiler.start"),
    stop: async () => (await send("Profiler.stop")).result.profile,
    close: () => ws.close(),
  };
}

const sources = new Map();
/**
 * An anonymous function's first characters, so a profile says which one it is: ` "async (c) => {"`.
 * `bundle` is the file the Worker runs (wrangler dev's inspector names it only "index.js").
 */
function sourceAt(url, line, column, bundle) {
  const path = url?.startsWith("file://") ? fileURLToPath(url) : url?.endsWith("index.js") ? bundle : null;
  if (!path || line < 0) return "";
  if (!sources.has(path)) {
    try {
      sources.set(path, readFileSync(path, "utf8").split("\n"));
    } catch {
      sources.set(path, null);
    }
  }
  const lines = sources.get(path);
  if (!lines?.[line]) return "";
  // The line before says whose function it is (`app.openapi(getEntity, async (c) => {`).
  const before = (lines[line - 1] ?? "").trim().slice(-40);
  const text = lines[line].slice(Math.max(0, column), Math.max(0, column) + 40).trim();
  return ` "${before} ⏎ ${text}"`;
}

/** Self time by function, and the share of busy (non-idle) time spent under a few named areas. */
export function summarise(profile, top = 25, bundle = null) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const label = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.split("/").slice(-2).join("/") : "";
    const name = f.functionName || `(anonymous${sourceAt(f.url, f.lineNumber, f.columnNumber, bundle)})`;
    return `${name} ${file}${f.lineNumber >= 0 ? `:${f.lineNumber + 1}` : ""}`;
  };
  const fns = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (n.callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    fns.set(label(n), (fns.get(label(n)) ?? 0) + us);
  }
  const busy = total - idle;
  // Inclusive time for a few areas: a sample counts for an area if any frame on its stack matches.
  const areas = {
    "zod / validation": /zod|safeParse|validat/i,
    "crypto (seal/open, digest, HKDF)":
      /seal|open|digest|importKey|deriveKey|encrypt|decrypt|sha256|constantTime/i,
    "JSON parse/stringify": /JSON\.|parse|stringify/,
    "SQL (storage)": /exec|sql/i,
    "hono routing/middleware": /dispatch|compose|router|match/i,
  };
  const areaTime = Object.fromEntries(Object.keys(areas).map((k) => [k, 0]));
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id);
    if (leaf.callFrame.functionName === "(idle)") return;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      for (const [area, re] of Object.entries(areas)) {
        if (!seen.has(area) && re.test(name)) {
          seen.add(area);
          areaTime[area] += dt;
        }
      }
    }
  });
  // Inclusive time per function: a sample counts once for every distinct function on its stack.
  // This is what says "auth costs 18%" when the self time is spread over what it calls.
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id).callFrame.functionName === "(idle)") return;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(byId.get(cur));
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  });
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    inclusive: [...inclusive]
      .filter(([fn]) => !/^\((root|program|anonymous)\)/.test(fn))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top * 2)
      .map(([fn, us]) => ({ fn, ms: us / 1000, share: us / busy })),
    top: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: us / 1000, share: us / busy })),
    areas: Object.fromEntries(
      Object.entries(areaTime).map(([k, us]) => [k, { ms: us / 1000, share: us / busy }]),
    ),
  };
}
