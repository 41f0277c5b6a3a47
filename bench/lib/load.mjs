// One bounded load run with autocannon, measured on our side too: autocannon's histogram keeps
// whole milliseconds, so latencies are also taken from each response's hrtime duration.
import autocannon from "autocannon";

/**
 * @param {object} o
 * @param {string} o.url origin, e.g. http://127.0.0.1:8787
 * @param {number} o.connections
 * @param {number} [o.seconds] run length (ignored when `amount` is set)
 * @param {number} [o.amount] exact number of requests
 * @param {string} [o.method]
 * @param {string} [o.path]
 * @param {Record<string, string>} [o.headers]
 * @param {string} [o.body]
 * @param {(i: number) => { path?: string, body?: string }} [o.next] per-request path/body from a global counter
 * @param {(client: object, index: number) => void} [o.setupClient]
 * @param {(status: number, headers: Record<string, string>) => void} [o.onResponse]
 */
export async function load(o) {
  const latencies = [];
  const statuses = new Map();
  let counter = 0;
  let clientIndex = 0;
  const base = {
    method: o.method ?? "GET",
    path: o.path ?? "/",
    headers: o.headers ?? {},
    body: o.body,
    ...(o.onResponse
      ? { onResponse: (status, _body, _context, headers) => o.onResponse(status, headers) }
      : {}),
  };
  const requests = o.next
    ? [
        {
          ...base,
          setupRequest(req) {
            const n = o.next(counter++);
            return { ...req, ...n };
          },
        },
      ]
    : [base];
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
    timeout: 10,
    requests,
    setupClient(client) {
      client.on("response", (status, _bytes, ms) => {
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      o.setupClient?.(client, clientIndex++);
    },
  });
  // Bound every run, even one with a fixed amount that the server cannot finish.
  const limitMs = ((o.amount ? 60 : o.seconds) + 15) * 1000;
  const guard = setTimeout(() => instance.stop(), limitMs);
  const result = await instance;
  clearTimeout(guard);
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  const count = (pred) => [...statuses].filter(([s]) => pred(s)).reduce((n, [, c]) => n + c, 0);
  const ok = count((s) => s >= 200 && s < 400);
  return {
    requests: latencies.length,
    seconds: result.duration,
    rps: result.duration > 0 ? ok / result.duration : 0,
    p50: pct(0.5),
    p99: pct(0.99),
    ok,
    status4xx: count((s) => s >= 400 && s < 500),
    status5xx: count((s) => s >= 500),
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(statuses),
  };
}
