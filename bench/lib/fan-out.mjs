// Fan-out (issue 16): how long a committed version takes to reach each of `watchers` WebSocket
// watchers, edgestate beside the bare platform (one object writing a row and sending the same
// message to its hibernated WebSockets). Latency is measured from the version's own timestamp
// (`at`, taken as the object decides the write, just before it seals and commits it) to its arrival
// in this process: the same machine's clock on both ends. Then throughput: messages per second
// delivered to all watchers while `writers` clients write as fast as the object accepts.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A write that hangs (a stuck server) fails the run instead of stalling it. */
const WRITE_TIMEOUT_MS = 30_000;

/** Opens `n` watchers; each records, per version, when it arrived. */
async function openWatchers(url, n, headers, parse) {
  const watchers = [];
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(url, { headers });
    const watcher = { ws, arrivals: new Map(), order: [] };
    ws.addEventListener("message", (e) => {
      const now = Date.now();
      const m = parse(String(e.data));
      if (m === null) return;
      watcher.order.push(m.version);
      watcher.arrivals.set(m.version, now - m.at);
    });
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve, { once: true });
      ws.addEventListener("error", () => reject(new Error(`watcher ${i} failed to open ${url}`)), {
        once: true,
      });
    });
    watchers.push(watcher);
  }
  return watchers;
}

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;

async function until(test, ms) {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) return false;
    await sleep(2);
  }
  return true;
}

/** One side: sequential writes (each waits for every watcher), then `seconds` of concurrent writes. */
async function side({ watchUrl, headers, parse, write, watchers: n, writes, writers, seconds }) {
  const watchers = await openWatchers(watchUrl, n, headers, parse);
  await sleep(200); // first messages (the current state) settle
  for (const w of watchers) {
    w.arrivals.clear();
    w.order.length = 0;
  }
  const samples = [];
  const lastPerWrite = [];
  let missing = 0;
  const started = performance.now();
  for (let i = 0; i < writes; i++) {
    const version = await write(i);
    const all = await until(() => watchers.every((w) => w.arrivals.has(version)), 10_000);
    if (!all) missing++;
    const per = watchers.map((w) => w.arrivals.get(version)).filter((x) => x !== undefined);
    samples.push(...per);
    lastPerWrite.push(Math.max(...per));
  }
  const sequentialSeconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  lastPerWrite.sort((a, b) => a - b);

  // Throughput: writers write as fast as they are answered; every watcher counts what it gets.
  const before = watchers.reduce((s, w) => s + w.order.length, 0);
  let written = 0;
  let stop = false;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!stop) {
        await write(written++);
        if (performance.now() - t0 > seconds * 1000) stop = true;
      }
    }),
  );
  const writeSeconds = (performance.now() - t0) / 1000;
  const target = before + written * n;
  await until(() => watchers.reduce((s, w) => s + w.order.length, 0) >= target, 30_000);
  const deliverySeconds = (performance.now() - t0) / 1000;
  const delivered = watchers.reduce((s, w) => s + w.order.length, 0) - before;
  const inOrder = watchers.every((w) => w.order.every((v, i) => i === 0 || v === w.order[i - 1] + 1));
  for (const w of watchers) w.ws.close(1000);
  return {
    latency: {
      runs: 1,
      requests: samples.length,
      rps: writes / sequentialSeconds,
      p50: pct(samples, 0.5),
      p99: pct(samples, 0.99),
      lastP50: pct(lastPerWrite, 0.5),
      lastP99: pct(lastPerWrite, 0.99),
      errors: missing,
      status5xx: 0,
    },
    throughput: {
      runs: 1,
      requests: delivered,
      rps: delivered / deliverySeconds,
      writesPerSecond: written / writeSeconds,
      p50: NaN,
      p99: NaN,
      errors: target - before - delivered + (inOrder ? 0 : 1),
      status5xx: 0,
      inOrder,
    },
  };
}

export async function fanOutRows({
  edge,
  base,
  auth,
  watchers = 100,
  writes = 200,
  writers = 16,
  seconds = 5,
  log,
}) {
  const ws = (url) => url.replace(/^http/, "ws");
  const id = `fan-${Date.now()}`;
  const body = (i) => JSON.stringify({ n: i, note: "a small document, as the other scenarios write" });
  log(
    `fan-out: ${watchers} watchers each side, ${writes} sequential writes, then ${writers} writers for ${seconds} s`,
  );
  const edgeSide = await side({
    watchUrl: `${ws(edge.url)}/v1/entities/doc/${id}/watch`,
    headers: auth,
    parse: (text) => {
      const m = JSON.parse(text);
      return m.type === "version" ? { version: m.version, at: Date.parse(m.at) } : null;
    },
    write: async (i) => {
      const res = await fetch(`${edge.url}/v1/entities/doc/${id}`, {
        method: "PUT",
        headers: { ...auth, "Content-Type": "application/json" },
        body: body(i),
        signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      return Number(res.headers.get("edgestate-version"));
    },
    watchers,
    writes,
    writers,
    seconds,
  });
  const baseSide = await side({
    watchUrl: `${ws(base.url)}/ws?k=${id}`,
    headers: {},
    parse: (text) => JSON.parse(text),
    write: async (i) =>
      Number(
        await (
          await fetch(`${base.url}/fan?k=${id}`, {
            method: "PUT",
            body: body(i),
            signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
          })
        ).text(),
      ),
    watchers,
    writes,
    writers,
    seconds,
  });
  const latency = {
    id: "fan-out-latency",
    title: `fan-out: commit → ${watchers} watchers, ms (one write at a time)`,
    baseline: `bare DO, ${watchers} WebSockets`,
    concurrency: 1,
    edge: edgeSide.latency,
    base: baseSide.latency,
    ratio: baseSide.latency.p50 / edgeSide.latency.p50,
  };
  const throughput = {
    id: "fan-out-throughput",
    title: `fan-out: messages/s to ${watchers} watchers, ${writers} writers`,
    baseline: `bare DO, ${watchers} WebSockets`,
    concurrency: writers,
    edge: edgeSide.throughput,
    base: baseSide.throughput,
    ratio: edgeSide.throughput.rps / baseSide.throughput.rps,
    check: {
      ok: edgeSide.throughput.errors === 0 && edgeSide.latency.errors === 0,
      detail:
        `edgestate: ${edgeSide.throughput.requests} messages (${edgeSide.throughput.writesPerSecond.toFixed(0)} writes/s), ` +
        `${edgeSide.throughput.inOrder ? "every watcher in version order" : "OUT OF ORDER"}; last watcher p50/p99 ` +
        `${edgeSide.latency.lastP50}/${edgeSide.latency.lastP99} ms (baseline ${baseSide.latency.lastP50}/${baseSide.latency.lastP99})`,
    },
  };
  return [latency, throughput];
}
