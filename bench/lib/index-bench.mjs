// Secondary indexes under load (issue 14): the write cost of an indexed type, queries against one
// shard holding `count` entities under one key value (built by backfill, which is timed), and
// index lag — how long after a PUT's reply a query first returns it — idle and beside a write load.
import { load } from "./load.mjs";
import { mergeRuns as merge } from "./measure.mjs";
import { pool, request } from "./seed.mjs";

export const INDEXED_TYPE = "order";
export const INDEX = "by-customer";
const BIG = "c-big";
const iso = (n) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
const order = (customer, n) => JSON.stringify({ customer, at: iso(n), total: n % 1000, lines: 3 });

/** Scenarios for the main loop: edgestate beside the bare platform, like every other row. */
export function indexScenarios({ auth, count, writeSpread }) {
  const json = { ...auth, "Content-Type": "application/json" };
  const path = `/v1/indexes/${INDEXED_TYPE}/${INDEX}/query`;
  const query = (body) => ({ method: "POST", path, headers: json, body: JSON.stringify(body) });
  const middle = iso(Math.floor(count / 2));
  return [
    {
      id: "put-indexed",
      title: "entity PUT, type with one index",
      baseline: "bare DO write",
      target: { ratio: 0.6 },
      edge: {
        method: "PUT",
        headers: json,
        next: (i) => ({
          path: `/v1/entities/${INDEXED_TYPE}/w-${i % writeSpread}`,
          body: order(`c-${i % 64}`, i),
        }),
      },
      base: {
        method: "PUT",
        next: (i) => ({ path: `/do?k=w-${i % writeSpread}`, body: order(`c-${i % 64}`, i) }),
      },
    },
    {
      id: "query-ids",
      title: `index query: 100 ids of ${count.toLocaleString("en")} under one key, newest first`,
      baseline: "bare DO read",
      target: { ratio: 0.6 },
      edge: query({ where: { "/customer": BIG }, order: "desc", limit: 100 }),
      base: { method: "GET", path: "/do?k=hot" },
    },
    {
      id: "query-range",
      title: `index query: a range in the middle of ${count.toLocaleString("en")}, 100 ids`,
      baseline: "bare DO read",
      target: { ratio: 0.6 },
      edge: query({ where: { "/customer": BIG }, range: { gte: middle }, limit: 100 }),
      base: { method: "GET", path: "/do?k=hot" },
    },
    {
      id: "query-docs",
      title: `index query: 100 documents of ${count.toLocaleString("en")}`,
      baseline: "bare DO read",
      target: { ratio: 0.5 },
      edge: query({ where: { "/customer": BIG }, range: { gte: middle }, limit: 100, include: "documents" }),
      base: { method: "GET", path: "/do?k=hot" },
    },
  ];
}

/**
 * `count` orders of one customer written first, then the index created over them: the time to
 * ACTIVE is the backfill's. With `indexFirst` the index is created on the empty type and kept up
 * by the writes themselves (their outbox deliveries), the way a type is indexed from its start: a
 * full run's 100,000 entities were seeded in 34 min that way (c1912ce), where a backfill of as many
 * takes most of an hour on two loaded cores. Returns a row reporting it.
 */
export async function seedIndex({ url, auth, count, log, indexFirst = false }) {
  const json = { ...auth, "Content-Type": "application/json" };
  const define = async () => {
    await request(`${url}/v1/indexes/${INDEXED_TYPE}/${INDEX}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ keys: ["/customer"], sort: "/at" }),
    });
  };
  const entriesNow = async () => {
    const { text } = await request(`${url}/v1/indexes/${INDEXED_TYPE}/${INDEX}`, { headers: auth });
    const index = JSON.parse(text);
    return { status: index.status, entries: index.entries };
  };
  const until = async (done, what) => {
    const t = Date.now();
    for (;;) {
      if (await done(await entriesNow())) return;
      if (Date.now() - t > 30 * 60_000) throw new Error(`${what} did not finish in 30 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  if (indexFirst) {
    await define();
    await until((i) => i.status === "ACTIVE", "the empty index's build");
  }
  log(`seeding ${count} orders${indexFirst ? " into the indexed type" : " for the index"}`);
  const t0 = Date.now();
  await pool(count, 32, (i) =>
    request(`${url}/v1/entities/${INDEXED_TYPE}/big-${i}`, {
      method: "PUT",
      headers: json,
      body: order(BIG, i),
    }),
  );
  const seeded = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  if (indexFirst) await until((i) => i.entries >= count, "delivering every entry");
  else {
    await define();
    await until((i) => i.status === "ACTIVE", "the index build");
  }
  const built = (Date.now() - t1) / 1000;
  const { entries } = await entriesNow();
  log(
    indexFirst
      ? `seeded in ${seeded.toFixed(0)} s with the index live; the last entries arrived ${built.toFixed(1)} s after the last reply (${entries} entries)`
      : `seeded in ${seeded.toFixed(0)} s; index built over them in ${built.toFixed(1)} s (${entries} entries)`,
  );
  if (indexFirst) {
    return {
      id: "index-backfill",
      title: `${count.toLocaleString("en")} entities written into an indexed type (live indexing, no backfill)`,
      baseline: "–",
      concurrency: 32,
      edge: { rps: count / seeded, p50: Number.NaN, p99: Number.NaN, errors: count - entries, status5xx: 0 },
      check: {
        ok: entries === count,
        detail: `${entries} of ${count} entities indexed: written at ${(count / seeded).toFixed(0)}/s, the last entry ${built.toFixed(1)} s after the last write's reply`,
      },
    };
  }
  return {
    id: "index-backfill",
    title: `index built over ${count.toLocaleString("en")} existing entities (backfill)`,
    baseline: "–",
    concurrency: 1,
    edge: { rps: count / built, p50: built * 1000, p99: built * 1000, errors: count - entries, status5xx: 0 },
    check: {
      ok: entries === count,
      detail: `${entries} of ${count} entities indexed in ${built.toFixed(1)} s (${(count / built).toFixed(0)}/s)`,
    },
  };
}

/**
 * Index lag: a probe PUTs an order with a key value of its own, then queries for it until it
 * shows (as fast as queries return); the lag is from the PUT's reply to the first query that
 * returns it. Idle, and beside `connections` clients PUTting indexed orders for `seconds`.
 */
export async function indexLagRows({ url, auth, probes, seconds, writeSpread, log }) {
  const json = { ...auth, "Content-Type": "application/json" };
  const rows = [];
  for (const connections of [0, 16, 64]) {
    log(`index lag with ${connections} writing clients beside it`);
    const background = connections
      ? load({
          url,
          connections,
          seconds,
          method: "PUT",
          headers: json,
          next: (i) => ({
            path: `/v1/entities/${INDEXED_TYPE}/w-${i % writeSpread}`,
            body: order(`c-${i % 64}`, i),
          }),
        })
      : null;
    const started = Date.now();
    const lags = [];
    let lost = 0;
    for (let i = 0; i < probes && (!background || Date.now() - started < (seconds - 1) * 1000); i++) {
      const customer = `lag-${connections}-${i}-${started}`;
      await request(`${url}/v1/entities/${INDEXED_TYPE}/${customer}`, {
        method: "PUT",
        headers: json,
        body: order(customer, i),
      });
      const t = performance.now();
      let seen = false;
      while (!seen && performance.now() - t < 10_000) {
        const { text } = await request(`${url}/v1/indexes/${INDEXED_TYPE}/${INDEX}/query`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ where: { "/customer": customer }, limit: 1 }),
        });
        seen = JSON.parse(text).items.length === 1;
      }
      if (seen) lags.push(performance.now() - t);
      else lost++;
    }
    const writes = background ? merge([await background]) : null;
    lags.sort((a, b) => a - b);
    const pct = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? Number.NaN;
    const p99 = pct(0.99);
    rows.push({
      id: `index-lag-${connections}`,
      title: connections
        ? `index lag beside ${connections} clients PUTting (their req/s)`
        : "index lag, idle",
      baseline: "–",
      concurrency: connections || 1,
      edge: {
        rps: writes?.rps ?? Number.NaN,
        p50: pct(0.5),
        p99,
        errors: lost + (writes?.errors ?? 0),
        status5xx: writes?.status5xx ?? 0,
      },
      check: {
        ok: lost === 0 && p99 <= 1_000,
        detail: `${lags.length} probes visible after p50 ${pct(0.5).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${(lags.at(-1) ?? Number.NaN).toFixed(0)} ms${lost ? `; ${lost} never seen in 10 s` : ""} (target p99 ≤ 1 s)`,
      },
    });
  }
  return rows;
}
