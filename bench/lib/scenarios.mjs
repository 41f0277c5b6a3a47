// The scenarios of issues 7 and 13, each an edgestate request shape beside the bare-platform
// request it is measured against, with the target ratio (edgestate req/s ÷ baseline req/s, same
// run, median of the rounds) and, for strong reads, the p50 bound (edgestate p50 ÷ baseline p50).

/** A small realistic document; the baseline stores and serves the same bytes. */
export const DOC = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  plan: "pro",
  tags: ["analytical", "engine"],
  n: 0,
  bio: "Wrote the first published algorithm intended for a machine. ".repeat(2),
};
export const DOC_TEXT = JSON.stringify(DOC);
/** Writes spread over this many entities by default, so they measure a write, not one object's queue. */
export const WRITE_SPREAD = 256;

/**
 * The i-th transaction of `n` merge patches: n consecutive entities of the seeded w-* set (which
 * `writeSpread` sizes), so concurrent transactions meet each other only as often as real ones would.
 */
function transactionOf(n, i, writeSpread) {
  const operations = Array.from({ length: n }, (_, j) => ({
    op: "patch",
    type: "doc",
    id: `w-${(n * i + j) % writeSpread}`,
    patch: { n: i },
  }));
  return JSON.stringify({ operations });
}

/** A stride through [0, n) that visits every index: reads spread without a random generator. */
const spread = (i, n) => (i * 7_919) % n;

export function scenarios(options) {
  const list = ownScenarios(options);
  return [...list, ...list.filter((s) => LIMITED_TWINS.includes(s.id)).map(limitedTwin)];
}

/**
 * Every /v1 request calls the rate-limiting binding ([[ratelimits]]), and under `wrangler dev` that
 * binding is Miniflare's simulation: a fetch to a Durable Object of its own per call, as much CPU as
 * the bare read it is compared with (bench:profile). Cloudflare keeps those counters on the machine
 * that runs the Worker. Each target cell is therefore measured twice: against the bare platform (the
 * issue's baseline) and, as its twin, against the bare platform making the same limiter call.
 */
const LIMITED_TWINS = ["get-strong", "get-eventual", "put", "patch-merge", "patch-one", "session-get"];

function limitedTwin(s) {
  const limited = (side) => ({
    ...side,
    ...(side.path ? { path: `${side.path}&limited` } : {}),
    ...(side.next ? { next: (i) => ({ ...side.next(i), path: `${side.next(i).path}&limited` }) } : {}),
  });
  return {
    ...s,
    id: `${s.id}-limited`,
    title: `${s.title}, against a baseline calling the rate limiter`,
    baseline: `${s.baseline} + rate limiter`,
    base: limited(s.base),
  };
}

/** @param {{ auth: Record<string, string>, spreadCount: number, patchOneAmount: number, sessionId?: string, writeSpread?: number }} o */
function ownScenarios({ auth, spreadCount, patchOneAmount, sessionId, writeSpread = WRITE_SPREAD }) {
  const json = { ...auth, "Content-Type": "application/json" };
  const mergePatch = { ...auth, "Content-Type": "application/merge-patch+json" };
  const docWith = (n) => JSON.stringify({ ...DOC, n });
  return [
    {
      id: "get-strong",
      title: "entity GET, strong",
      baseline: "bare DO read",
      target: { ratio: 0.85, p50: 1.2 },
      edge: { method: "GET", path: "/v1/entities/doc/hot", headers: auth },
      base: { method: "GET", path: "/do?k=hot" },
    },
    {
      id: "get-eventual",
      title: "entity GET, eventual (KV hit)",
      baseline: "bare KV read",
      target: { ratio: 0.85 },
      edge: { method: "GET", path: "/v1/entities/doc/hot?consistency=eventual", headers: auth },
      base: { method: "GET", path: "/kv?k=hot" },
      countHeader: "edgestate-cache",
    },
    {
      id: "put",
      title: "entity PUT (encrypted)",
      baseline: "bare DO write",
      target: { ratio: 0.75 },
      edge: {
        method: "PUT",
        headers: json,
        next: (i) => ({ path: `/v1/entities/doc/w-${i % writeSpread}`, body: docWith(i) }),
      },
      base: { method: "PUT", next: (i) => ({ path: `/do?k=w-${i % writeSpread}`, body: docWith(i) }) },
    },
    {
      id: "patch-merge",
      title: "entity merge PATCH (encrypted)",
      baseline: "bare DO write",
      target: { ratio: 0.75 },
      edge: {
        method: "PATCH",
        headers: mergePatch,
        next: (i) => ({ path: `/v1/entities/doc/w-${i % writeSpread}`, body: JSON.stringify({ n: i }) }),
      },
      base: { method: "PUT", next: (i) => ({ path: `/do?k=w-${i % writeSpread}`, body: docWith(i) }) },
    },
    {
      id: "patch-one",
      title: "64 clients patching one entity",
      baseline: "bare DO write, one object",
      target: { ratio: 0.75, noLostUpdate: true },
      concurrencies: [64],
      amount: patchOneAmount,
      edge: { method: "PATCH", path: "/v1/entities/doc/one", headers: mergePatch },
      base: { method: "PUT", path: "/do?k=one", body: DOC_TEXT },
    },
    {
      id: "get-spread",
      title: `${spreadCount.toLocaleString("en")} distinct entities, reads spread`,
      baseline: "bare DO read, spread",
      // Not in issue 13's table: reported beside the strong reads, judged by nothing.
      target: null,
      edge: {
        method: "GET",
        headers: auth,
        next: (i) => ({ path: `/v1/entities/doc/s-${spread(i, spreadCount)}` }),
      },
      base: { method: "GET", next: (i) => ({ path: `/do?k=s-${spread(i, spreadCount)}` }) },
      memory: true,
    },
    ...[2, 10].map((n) => ({
      id: `tx-${n}`,
      title: `transaction of ${n} merge patches (2PC)`,
      baseline: `bare DO writes to ${n} objects`,
      target: { ratio: n === 2 ? 0.2 : 0.1 },
      edge: {
        method: "POST",
        path: "/v1/transactions",
        headers: json,
        next: (i) => ({ body: transactionOf(n, i, writeSpread) }),
      },
      base: {
        method: "PUT",
        next: (i) => ({
          path: `/do-many?prefix=w-&from=${(n * i) % writeSpread}&n=${n}&of=${writeSpread}`,
          body: docWith(i),
        }),
      },
    })),
    ...(sessionId
      ? [
          {
            id: "session-get",
            title: "session GET (sliding)",
            baseline: "bare DO read",
            target: { ratio: 0.85 },
            edge: { method: "GET", path: `/v1/sessions/${sessionId}`, headers: auth },
            base: { method: "GET", path: "/do?k=hot" },
          },
        ]
      : []),
  ];
}
