// "How cost grows" (issue 13): a curve per kind of work, not a point. Each curve is a series of
// sequential requests (one client: latency, not throughput) at growing sizes, edgestate beside
// the bare platform where it has an equivalent. Every figure is a p50 of several requests.
import { request } from "./seed.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)];
};

/** Runs `op` n times in a row; its p50 and mean in ms. `op` must throw on a wrong reply. */
async function timed(n, op) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    ms.push(performance.now() - t);
  }
  return { p50: median(ms), mean: ms.reduce((a, b) => a + b, 0) / ms.length, n };
}

/** A JSON document of about `bytes` bytes. */
const docOf = (bytes) => JSON.stringify({ pad: "x".repeat(Math.max(0, bytes - 12)) });

export async function docSizeCurve({ edge, base, auth, quick, log }) {
  const sizes = quick ? [1024, 262_144 - 64] : [1024, 4096, 16_384, 65_536, 131_072, 262_144 - 64];
  const n = quick ? 5 : 30;
  const json = { ...auth, "Content-Type": "application/json" };
  const points = { edgePut: [], basePut: [], edgeGet: [], baseGet: [] };
  for (const bytes of sizes) {
    log(`curve: document size ${Math.round(bytes / 1024)} KiB`);
    const body = docOf(bytes);
    const k = `size-${bytes}`;
    await request(`${edge.url}/v1/entities/doc/${k}`, { method: "PUT", headers: json, body });
    const ePut = await timed(n, () =>
      request(`${edge.url}/v1/entities/doc/${k}`, { method: "PUT", headers: json, body }),
    );
    const bPut = await timed(n, () => request(`${base.url}/do?k=${k}`, { method: "PUT", body }));
    const eGet = await timed(n, () => request(`${edge.url}/v1/entities/doc/${k}`, { headers: auth }));
    const bGet = await timed(n, () => request(`${base.url}/do?k=${k}`));
    points.edgePut.push([bytes, ePut.p50]);
    points.basePut.push([bytes, bPut.p50]);
    points.edgeGet.push([bytes, eGet.p50]);
    points.baseGet.push([bytes, bGet.p50]);
  }
  return {
    id: "doc-size",
    title: "Document size: PUT and strong GET, p50 at one client",
    x: { label: "document size", log: true, base: 2, unit: "bytes" },
    y: { label: "ms per request (p50)" },
    series: [
      { name: "edgestate PUT", points: points.edgePut },
      { name: "bare DO write", points: points.basePut },
      { name: "edgestate GET, strong", points: points.edgeGet },
      { name: "bare DO read", points: points.baseGet },
    ],
  };
}

export async function entityHistoryCurve({ edge, auth, quick, log }) {
  const versions = 100;
  const json = { ...auth, "Content-Type": "application/json" };
  log(`curve: entity history, writing ${versions} versions`);
  const path = `/v1/entities/doc/history-${Date.now()}`;
  for (let v = 1; v <= versions; v++) {
    await request(`${edge.url}${path}`, { method: "PUT", headers: json, body: JSON.stringify({ v }) });
  }
  const limits = [1, 10, 20, 50, 100];
  const n = quick ? 3 : 15;
  const first = [];
  for (const limit of limits) {
    const r = await timed(n, () => request(`${edge.url}${path}/history?limit=${limit}`, { headers: auth }));
    first.push([limit, r.p50]);
  }
  const walk = await timed(quick ? 1 : 5, async () => {
    let cursor = null;
    let pages = 0;
    do {
      const q = `limit=20${cursor ? `&cursor=${cursor}` : ""}`;
      const { text } = await request(`${edge.url}${path}/history?${q}`, { headers: auth });
      cursor = JSON.parse(text).cursor;
      pages++;
    } while (cursor && pages < 50);
  });
  return {
    id: "entity-history",
    title: `Entity history at ${versions} versions: first page by page size`,
    x: { label: "versions per page", log: true, base: 10 },
    y: { label: "ms per page (p50)" },
    series: [{ name: "GET …/history, first page", points: first }],
    note: `full walk, 5 pages of 20: ${walk.p50.toFixed(1)} ms`,
    figures: { fullWalkMs: walk.p50 },
  };
}

/** A Map over `$.items` whose iteration is one Pass state: 4 history events per item. */
const mapMachine = {
  Comment: "bench: a Map of Pass states",
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      MaxConcurrency: 0,
      ItemProcessor: { StartAt: "Touch", States: { Touch: { Type: "Pass", End: true } } },
      ResultPath: null,
      End: true,
    },
  },
};

async function runMap(edge, auth, items) {
  const json = { ...auth, "Content-Type": "application/json" };
  const t = performance.now();
  const { res, text } = await request(
    `${edge.url}/v1/machines/bench-map/executions?wait=25`,
    {
      method: "POST",
      headers: json,
      body: JSON.stringify({ input: { items: Array.from({ length: items }, (_, i) => i) } }),
    },
    [200, 202],
  );
  let d = JSON.parse(text);
  // ?wait gave up (a loaded machine): follow the execution to its end, still on the clock.
  for (let polls = 0; d.status === "RUNNING" && polls < 600; polls++) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await request(`${edge.url}/v1/machines/bench-map/executions/${d.name}`, { headers: auth });
    d = JSON.parse(next.text);
  }
  const ms = performance.now() - t;
  return { ms, status: d.status, name: d.name, error: d.error ?? null, http: res.status };
}

export async function executionCurves({ edge, auth, quick, log }) {
  const json = { ...auth, "Content-Type": "application/json" };
  await request(`${edge.url}/v1/machines/bench-map`, {
    method: "PUT",
    headers: json,
    body: JSON.stringify(mapMachine),
  });
  // 4 events per item plus 5: 6,240 items make 24,965 events, just under the 25,000 limit.
  const sizes = quick ? [100, 500] : [100, 1_000, 3_000, 6_240];
  const map = [];
  let largest = null;
  for (const items of sizes) {
    log(`curve: Map over ${items.toLocaleString("en")} items`);
    const run = await runMap(edge, auth, items);
    if (run.status !== "SUCCEEDED")
      throw new Error(`Map over ${items} items: ${run.status} ${run.error ?? ""}`);
    map.push({ items, ms: run.ms, msPerItem: run.ms / items });
    largest = { items, name: run.name };
  }
  // Past 25,000 events an inline Map fails, as in Step Functions (a Distributed Map's job there).
  let tenThousand = null;
  if (!quick) {
    log("curve: Map over 10,000 items (past the 25,000-event limit)");
    const run = await runMap(edge, auth, 10_000);
    tenThousand = { items: 10_000, ms: run.ms, status: run.status, error: run.error };
  }
  const history = await historyPages(edge, auth, largest, quick, log);
  return [
    {
      id: "map-items",
      title: "Map state: time per item (Pass iterations, start to end)",
      x: { label: "items", log: true, base: 10 },
      y: { label: "ms per item" },
      series: [{ name: "edgestate, ms per item", points: map.map((m) => [m.items, m.msPerItem]) }],
      note: tenThousand
        ? `10,000 items: ${tenThousand.status}${tenThousand.error ? ` (${tenThousand.error})` : ""} after ${(tenThousand.ms / 1000).toFixed(1)} s`
        : undefined,
      figures: { runs: map, tenThousand },
    },
    history,
  ];
}

async function historyPages(edge, auth, execution, quick, log) {
  const base = `${edge.url}/v1/machines/bench-map/executions/${execution.name}/history`;
  const total = execution.items * 4 + 5;
  log(`curve: execution history of ${total.toLocaleString("en")} events`);
  const limit = quick ? 100 : 1000;
  const n = quick ? 2 : 5;
  const positions = [];
  for (let after = 0; after < total; after += Math.max(limit, Math.floor(total / 6 / limit) * limit))
    positions.push(after);
  positions.push(Math.max(0, total - limit));
  const points = [];
  for (const after of positions) {
    const r = await timed(n, () => request(`${base}?limit=${limit}&cursor=${after}`, { headers: auth }));
    points.push([after, r.p50]);
  }
  const walk = await timed(quick ? 1 : 2, async () => {
    let cursor = "0";
    let pages = 0;
    while (cursor && pages < 100) {
      const { text } = await request(`${base}?limit=${limit}&cursor=${cursor}`, { headers: auth });
      cursor = JSON.parse(text).cursor;
      pages++;
    }
  });
  return {
    id: "execution-history",
    title: `Execution history of ${total.toLocaleString("en")} events: one page of ${limit} by position`,
    x: { label: "events before the page (cursor)" },
    y: { label: "ms per page (p50)" },
    series: [{ name: `GET …/history?limit=${limit}`, points }],
    note: `full walk: ${(walk.p50 / 1000).toFixed(2)} s (${Math.ceil(total / limit)} pages)`,
    figures: { events: total, fullWalkMs: walk.p50 },
  };
}

export async function listingCurve({ edge, auth, quick, log, count }) {
  log(`curve: listing ${count.toLocaleString("en")}+ entities`);
  const limits = [10, 100, 1000];
  const first = [];
  for (const limit of limits) {
    const r = await timed(quick ? 3 : 10, () =>
      request(`${edge.url}/v1/entities/doc?limit=${limit}`, { headers: auth }),
    );
    first.push([limit, r.p50]);
  }
  const cumulative = [];
  const t = performance.now();
  let cursor = null;
  let seen = 0;
  do {
    const q = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const { text } = await request(`${edge.url}/v1/entities/doc?${q}`, { headers: auth });
    const page = JSON.parse(text);
    seen += page.items.length;
    cursor = page.cursor;
    cumulative.push([seen, performance.now() - t]);
  } while (cursor && cumulative.length < 100);
  return {
    id: "listing",
    title: `Listing a type of ${seen.toLocaleString("en")} entities (pages of 1,000)`,
    x: { label: "entities listed so far" },
    y: { label: "ms since the first page" },
    series: [{ name: "GET /v1/entities/doc, walked", points: cumulative }],
    note: `first page: ${first.map(([l, ms]) => `${l} → ${ms.toFixed(1)} ms`).join(", ")}`,
    figures: { listed: seen, totalMs: cumulative.at(-1)?.[1] ?? Number.NaN, firstPage: first },
  };
}
