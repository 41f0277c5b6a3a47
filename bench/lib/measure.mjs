// One cell of the table: a scenario at one concurrency, edgestate and the baseline alternately
// (ABBA: E B, B E, E B, …), each run right beside the other side's, so drift on this shared
// machine hits both. The ratio is the median of the rounds' ratios (edgestate req/s ÷ baseline
// req/s of the same round), latencies the medians of the rounds' percentiles.
import { loadavg } from "node:os";
import { load } from "./load.mjs";
import { request } from "./seed.mjs";

export const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Several runs of one side: requests and errors add up, rates and latencies are medians. */
export function mergeRuns(runs) {
  const sum = (k) => runs.reduce((n, r) => n + (r[k] ?? 0), 0);
  return {
    runs: runs.length,
    requests: sum("requests"),
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: sum("status4xx") + sum("status5xx") + sum("socketErrors"),
    status5xx: sum("status5xx"),
    timeouts: sum("timeouts"),
    perRound: runs.map((r) => Math.round(r.rps)),
  };
}

export function cellMeasurer({ edge, base, auth, mode, log }) {
  const noopCache = new Map();

  /** The platform's own cost at this concurrency: a no-op route on the baseline Worker. */
  async function noopAt(connections) {
    if (noopCache.has(connections)) return noopCache.get(connections);
    const r = mergeRuns([
      await load({ url: base.url, path: "/noop", connections, seconds: mode.noopSeconds }),
    ]);
    noopCache.set(connections, r);
    return r;
  }

  return async function measure(s, connections) {
    const loadBefore = loadavg()[0];
    const shape = (side, url) => ({ url, connections, ...side });
    const timed = s.amount ? { amount: s.amount } : { seconds: mode.seconds };
    if (mode.warmup) {
      await load({
        ...shape(s.edge, edge.url),
        connections: Math.min(connections, 16),
        seconds: mode.warmup,
      });
      await load({
        ...shape(s.base, base.url),
        connections: Math.min(connections, 16),
        seconds: mode.warmup,
      });
    }
    const edgeRuns = [];
    const baseRuns = [];
    const headerCounts = {};
    let check;
    const runEdge = async () => {
      if (s.target?.noLostUpdate) {
        const { run, verify } = await patchOneRun({ edge, auth, s, connections, timed });
        edgeRuns.push(run);
        check = mergeChecks(check, await verify());
        return;
      }
      const onResponse = s.countHeader
        ? (_status, headers) => {
            const v =
              headers[s.countHeader] ?? headers[s.countHeader.replace(/(^|-)\w/g, (m) => m.toUpperCase())];
            headerCounts[v] = (headerCounts[v] ?? 0) + 1;
          }
        : undefined;
      edgeRuns.push(await load({ ...shape(s.edge, edge.url), ...timed, onResponse }));
    };
    const runBase = async () => baseRuns.push(await load({ ...shape(s.base, base.url), ...timed }));
    for (let round = 0; round < mode.rounds; round++) {
      if (round % 2 === 0) {
        await runEdge();
        await runBase();
      } else {
        await runBase();
        await runEdge();
      }
    }
    const noop = await noopAt(connections);
    const e = mergeRuns(edgeRuns);
    const b = mergeRuns(baseRuns);
    const ratios = edgeRuns.map((r, i) => (baseRuns[i]?.rps > 0 ? r.rps / baseRuns[i].rps : Number.NaN));
    const ratio = median(ratios);
    log(
      `  ${s.id} at ${connections}: ${e.rps.toFixed(0)} vs ${b.rps.toFixed(0)} req/s, ratio ${ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
    );
    return {
      id: s.id,
      title: s.title,
      baseline: s.baseline,
      concurrency: connections,
      target: s.target,
      edge: e,
      base: b,
      noop,
      ratio,
      ratios,
      load: [loadBefore, loadavg()[0]],
      ...(Object.keys(headerCounts).length ? { headers: { [s.countHeader]: headerCounts } } : {}),
      ...(check ? { check } : {}),
    };
  };
}

/**
 * 64 clients merge-patching ONE entity, each client its own field with its own counter. No lost
 * update means: every client's field reads the last value the server acknowledged to it, and the
 * version rose by exactly the number of acknowledged patches.
 */
async function patchOneRun({ edge, auth, s, connections, timed }) {
  const path = "/v1/entities/doc/one";
  const before = await request(`${edge.url}${path}`, { headers: auth });
  const v0 = Number(before.res.headers.get("edgestate-version"));
  const clients = [];
  const run = await load({
    url: edge.url,
    connections,
    ...s.edge,
    ...timed,
    setupClient(client, index) {
      // Each client owns one field for the whole benchmark and writes `<round>:<count>` to it, so
      // the document stays at one field per client (about 2 KiB) however many rounds run; a field
      // per client per round made it grow round after round, measuring a larger and larger write.
      const state = { field: `c${index}`, sent: 0, acked: 0 };
      clients.push(state);
      const prime = () => {
        state.sent++;
        client.setBody(JSON.stringify({ [state.field]: `${v0}:${state.sent}` }));
      };
      prime();
      client.on("response", (status) => {
        if (status >= 200 && status < 300) state.acked = state.sent;
        prime();
      });
    },
  });
  const verify = async () => {
    await new Promise((r) => setTimeout(r, 500)); // let any request cut off by a stop land
    const after = await request(`${edge.url}${path}`, { headers: auth });
    const doc = JSON.parse(after.text);
    const version = Number(after.res.headers.get("edgestate-version"));
    const acked = clients.reduce((n, c) => n + c.acked, 0);
    // A client primes its next body before sending it, so `sent` may exceed what reached the server by one.
    // What this round wrote to a client's field (0 when it still holds an earlier round's value).
    const written = (c) => {
      const value = doc[c.field];
      return typeof value === "string" && value.startsWith(`${v0}:`)
        ? Number(value.slice(`${v0}:`.length))
        : 0;
    };
    const lost = clients.filter((c) => written(c) < c.acked).length;
    const overshoot = clients.filter((c) => written(c) > c.sent).length;
    const versionOk = version - v0 >= acked && version - v0 <= acked + clients.length;
    const exact = version - v0 === acked;
    return {
      ok: lost === 0 && overshoot === 0 && versionOk,
      detail: `${acked} acknowledged patches; version ${v0} → ${version}${exact ? " (exactly +1 each)" : ""}; clients with a lost update: ${lost}`,
    };
  };
  return { run, verify };
}

function mergeChecks(a, b) {
  return a ? { ok: a.ok && b.ok, detail: `${a.detail}; ${b.detail}` } : b;
}
