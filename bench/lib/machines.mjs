// State machines against Cloudflare Workflows run locally: a 100-state execution end to end, and
// how many 5-state executions a second edgestate starts and finishes.
import { load } from "./load.mjs";
import { mergeRuns } from "./measure.mjs";
import { request } from "./seed.mjs";

/** A definition of `n` Pass states in a row. */
export function passChain(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`S${i}`] = i === n - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
  }
  return { Comment: `bench: ${n} Pass states`, StartAt: "S0", States };
}

/** Sequential end-to-end runs of one request: rate = 1 / mean latency. */
async function sequential(runs, url, init, ok, log) {
  const durations = [];
  let failures = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(70_000) });
    const text = await res.text();
    if (ok(res, text)) durations.push(performance.now() - t);
    else {
      failures++;
      if (failures === 1) log(`unexpected reply from ${url}: ${res.status} ${text.slice(0, 200)}`);
    }
  }
  durations.sort((a, b) => a - b);
  const p = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? Number.NaN;
  const mean = durations.reduce((n, d) => n + d, 0) / durations.length;
  return {
    runs: durations.length,
    requests: durations.length,
    rps: durations.length ? 1000 / mean : 0,
    meanMs: mean,
    p50: p(0.5),
    p99: p(0.99),
    errors: failures,
    status5xx: failures,
  };
}

export async function stateMachineRows({ edge, base, auth, mode, log, hasExecutions }) {
  log(`state machines: ${mode.workflowRuns} runs of 100 steps on each side`);
  const workflow = await sequential(
    mode.workflowRuns,
    `${base.url}/workflow?steps=100`,
    { method: "POST" },
    (r) => r.ok,
    log,
  );
  const row = {
    id: "machine-100-pass",
    title: "state machine: 100 Pass states, start with ?wait",
    baseline: "Workflows, 100 step.do (local)",
    concurrency: 1,
    target: { ratio: 15 },
    base: workflow,
  };
  const fivePending = {
    id: "machine-5-state",
    title: "state machine: executions/s, 5 states",
    baseline: "–",
  };
  if (!hasExecutions) {
    return [
      { ...row, pending: "pending: no executions routes in this revision (baseline measured)" },
      { ...fivePending, pending: "pending: no executions routes in this revision" },
    ];
  }
  const json = { ...auth, "Content-Type": "application/json" };
  for (const [name, n] of [
    ["bench-100", 100],
    ["bench-5", 5],
  ]) {
    await request(`${edge.url}/v1/machines/${name}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify(passChain(n)),
    });
  }
  const succeeded = (res, text) => res.status === 200 && text.includes("SUCCEEDED");
  const start = { method: "POST", headers: json, body: JSON.stringify({ input: { n: 1 } }) };
  const edge100 = await sequential(
    mode.workflowRuns,
    `${edge.url}/v1/machines/bench-100/executions?wait=60`,
    start,
    succeeded,
    log,
  );
  const five = [];
  for (const connections of [1, 16]) {
    const r = await load({
      url: edge.url,
      connections,
      seconds: mode.seconds,
      method: "POST",
      path: "/v1/machines/bench-5/executions?wait=60",
      headers: json,
      body: start.body,
    });
    five.push({ ...fivePending, concurrency: connections, edge: mergeRuns([r]) });
  }
  return [{ ...row, edge: edge100, ratio: workflow.meanMs / edge100.meanMs }, ...five];
}
