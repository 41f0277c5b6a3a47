// One request to the soak's server, and "retry under the same Idempotency-Key until the answer is
// definitive" (what a careful client does when the connection dies with its request in flight).
export const ADMIN = "esk_admin_ec9873b6087c9b052174c6df40469bcbbd2ed9c9398ca6c6e9e18858db8e11f3";
export const ctx = { base: "", tenant: "crash", failures: [], stats: { requests: 0, netErrors: 0 } };

export function fail(message) {
  ctx.failures.push(message);
  console.log(`FAIL ${message}`);
}

export async function req(method, path, { body, headers = {}, timeout = 15_000 } = {}) {
  ctx.stats.requests++;
  const h = { Authorization: `Bearer ${ADMIN}`, "Edgestate-Tenant": ctx.tenant, ...headers };
  if (body !== undefined && !h["Content-Type"]) h["Content-Type"] = "application/json";
  try {
    const res = await fetch(ctx.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, text, json, etag: res.headers.get("etag") };
  } catch (e) {
    ctx.stats.netErrors++;
    return { status: 0, error: String(e?.cause?.code ?? e?.name ?? e) };
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Not an answer: the connection died, the object did not answer, or a retry is invited. */
export function transient(r) {
  if (r.status === 0 || r.status >= 500 || r.status === 429) return true;
  if (r.status === 409 && /transaction-conflict/.test(r.text)) return true;
  return r.headers?.has("retry-after") ?? false;
}

/** Sends until definitive; `tries` counts the attempts, `retried` whether any attempt was lost. */
export async function until(method, path, opts, deadline = Infinity) {
  let tries = 0;
  const began = Date.now();
  let warned = false;
  for (;;) {
    const r = await req(method, path, opts);
    tries++;
    if (!transient(r) || Date.now() > deadline) return { ...r, tries };
    if (r.status === 409) ctx.stats.conflicts = (ctx.stats.conflicts ?? 0) + 1;
    if (!warned && Date.now() - began > 25_000 && ctx.serverUp?.() && Date.now() - ctx.upSince > 20_000) {
      warned = true;
      fail(
        `${method} ${path} still refused after ${tries} tries over ${Date.now() - began} ms: ${r.status} ${r.text?.slice(0, 200)}`,
      );
    }
    await sleep(300);
  }
}

/** Runs `fn` over `items`, `width` at a time. */
export async function each(items, width, fn) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: width }, lane));
}
