// Seeding over HTTP with bounded concurrency, failing loudly: a benchmark over missing data
// would measure 404s.

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** One request that must answer with an expected status; its body text comes back with it. */
export async function request(url, init = {}, expected = [200, 201, 204]) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!expected.includes(res.status)) {
    throw new Error(`${init.method ?? "GET"} ${url} → ${res.status} ${text.slice(0, 300)}`);
  }
  return { res, text };
}

/**
 * `request` for seeding: a connection the local proxy dropped under load (fetch's TypeError) or a
 * reply later than 30 s (not an HTTP status) is tried again, twice at most. Only for idempotent
 * requests (a PUT of one body, the baseline's bulk seed of fixed rows).
 */
export async function seedRequest(url, init = {}, expected = [200, 201, 204]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request(url, init, expected);
    } catch (e) {
      const dropped = e instanceof TypeError || e?.name === "TimeoutError";
      if (!dropped || attempt === 3) throw e;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}
