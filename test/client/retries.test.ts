// Safe retries through a proxy that loses replies after the server committed: every retry of a
// write carries the first attempt's Idempotency-Key, and the write applies once. Backoff stays
// within its bounds, Retry-After is honoured, and a call ends within its total time.
import { createClient, type RetryInfo, type RetryOptions } from "edgestate/client";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { FaultProxy } from "./fault-proxy";
import { adminKey, baseUrl, client, failure, unique } from "./support";

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await FaultProxy.start(baseUrl(), inject("proxyPort"));
});
afterAll(() => proxy.close());
beforeEach(() => proxy.reset());

const direct = client();

function throughProxy(retry: RetryOptions = {}) {
  const retries: RetryInfo[] = [];
  const es = createClient({
    url: proxy.url,
    key: adminKey(),
    retry: { baseDelayMs: 20, ...retry },
    onRetry: (info) => retries.push(info),
  });
  return { es, retries };
}

describe("a reply lost after the commit", () => {
  it("put: retried with the same key, applied once, the first reply replayed", async () => {
    const { es, retries } = throughProxy();
    const id = unique("cart");
    proxy.next({ kind: "drop" }, { kind: "drop" });
    const written = await es.entities.put("cart", id, { items: ["apple"] });
    expect(written.version).toBe(1);
    const puts = proxy.seen.filter((s) => s.method === "PUT");
    expect(puts.map((s) => s.outcome)).toEqual(["dropped", "dropped", 201]);
    expect(new Set(puts.map((s) => s.idempotencyKey)).size).toBe(1);
    expect(puts[0]!.idempotencyKey).toMatch(/^esc_[0-9a-f]{32}$/);
    expect(retries.map((r) => [r.attempt, r.status, r.idempotencyKey])).toEqual([
      [1, 0, puts[0]!.idempotencyKey],
      [2, 0, puts[0]!.idempotencyKey],
    ]);
    expect((await direct.entities.get("cart", id)).version).toBe(1);
    const history = [];
    for await (const page of direct.entities.history("cart", id)) history.push(...page.items);
    expect(history).toHaveLength(1);
  });

  it("patch: a merge patch applied once although its reply was lost", async () => {
    const { es } = throughProxy();
    const id = unique("counter");
    await direct.entities.put("counter", id, { hits: 0 });
    proxy.next({ kind: "drop" });
    const patched = await es.entities.patch("counter", id, { hits: 1 }, { idempotencyKey: `mine-${id}` });
    expect(patched.version).toBe(2);
    expect(proxy.seen.map((s) => s.idempotencyKey)).toEqual([`mine-${id}`, `mine-${id}`]);
    expect((await direct.entities.get("counter", id)).version).toBe(2);
  });

  it("sessions.create: one session, not two", async () => {
    const { es } = throughProxy();
    const subject = unique("user");
    proxy.next({ kind: "drop" });
    const session = await es.sessions.create({ subject, data: { n: 1 } });
    expect((await direct.subjects.sessions(subject)).items.map((s) => s.id)).toEqual([session.id]);
  });

  it("executions.start without a name: one execution, the retry answered with its name", async () => {
    const { es } = throughProxy();
    const machine = unique("m");
    await direct.machines.put(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    proxy.next({ kind: "drop" });
    const started = await es.executions.start(machine, { input: { a: 1 } });
    await expect.poll(async () => (await direct.executions.list(machine)).items.length).toBeGreaterThan(0);
    expect((await direct.executions.list(machine)).items.map((e) => e.name)).toEqual([started.name]);
  });

  it("a read is retried too, without a key", async () => {
    const { es } = throughProxy();
    const id = unique("cart");
    await direct.entities.put("cart", id, { items: [] });
    proxy.next({ kind: "drop" });
    expect((await es.entities.get("cart", id)).version).toBe(1);
    expect(proxy.seen.map((s) => [s.method, s.idempotencyKey])).toEqual([
      ["GET", null],
      ["GET", null],
    ]);
  });

  it("issuing a key is never retried after a lost reply (its secret cannot be replayed)", async () => {
    const { es } = throughProxy();
    proxy.next({ kind: "drop" });
    const e = await failure(es.keys.create({ tenant: "default", scopes: ["read"], name: unique("k") }));
    expect(e).toMatchObject({ code: "network-error", status: 0, attempts: 1 });
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]!.idempotencyKey).toBeNull();
  });
});

describe("refusals that say try again", () => {
  it("429 waits at least Retry-After, even for a call that is not retried otherwise", async () => {
    const { es, retries } = throughProxy();
    proxy.next({ kind: "status", status: 429, retryAfter: "1" });
    const started = Date.now();
    const issued = await es.keys.create({ tenant: "default", scopes: ["read"], name: unique("k") });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(issued.key).toMatch(/^esk_/);
    expect(retries).toEqual([expect.objectContaining({ status: 429, delayMs: 1000 })]);
    await direct.keys.revoke(issued.id);
  });

  it("503 is retried with full-jitter backoff under each attempt's ceiling", async () => {
    const { es, retries } = throughProxy({ baseDelayMs: 40, maxDelayMs: 100 });
    proxy.next(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 503, forward: true })));
    const id = unique("cart");
    await es.entities.put("cart", id, { items: [] });
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    const ceilings = [40, 80, 100];
    retries.forEach((r, i) => {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThan(ceilings[i]!);
    });
    // Forwarded three times then answered: one write, four requests, one key.
    expect(new Set(proxy.seen.map((s) => s.idempotencyKey)).size).toBe(1);
    expect((await direct.entities.get("cart", id)).version).toBe(1);
  });

  it("gives up within the total time, with the last refusal and how many attempts it made", async () => {
    const { es } = throughProxy({
      baseDelayMs: 200,
      maxDelayMs: 400,
      totalTimeoutMs: 1_200,
      maxAttempts: 50,
    });
    proxy.next(...Array.from({ length: 50 }, () => ({ kind: "status" as const, status: 503 })));
    const started = Date.now();
    const e = await failure(es.entities.get("cart", "x"));
    const elapsed = Date.now() - started;
    expect(e).toMatchObject({
      code: "service-unavailable",
      status: 503,
      detail: "injected by the test's proxy",
    });
    expect(elapsed).toBeLessThan(1_200 + 300);
    expect(e.attempts).toBe(proxy.seen.length);
    expect(e.attempts).toBeGreaterThan(2);
  });

  it("a Retry-After beyond the budget fails at once instead of sleeping past it", async () => {
    const { es } = throughProxy({ totalTimeoutMs: 5_000 });
    proxy.next({ kind: "status", status: 429, retryAfter: "60" });
    const started = Date.now();
    const e = await failure(es.entities.get("cart", "x"));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(e).toMatchObject({ code: "too-many-requests", retryAfterMs: 60_000, attempts: 1 });
  });

  it("maxAttempts bounds the attempts; retry: false makes one", async () => {
    const { es } = throughProxy({ maxAttempts: 2 });
    proxy.next(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 503 })));
    expect((await failure(es.entities.get("cart", "x"))).attempts).toBe(2);
    proxy.reset();
    proxy.next({ kind: "status", status: 503 });
    const once = createClient({ url: proxy.url, key: adminKey(), retry: false });
    expect((await failure(once.entities.get("cart", "x"))).attempts).toBe(1);
  });

  it("the caller's signal ends a call during its backoff", async () => {
    const { es } = throughProxy({ baseDelayMs: 5_000, maxDelayMs: 5_000, random: () => 0.99 });
    proxy.next({ kind: "status", status: 503 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const e = await failure(es.entities.get("cart", "x", { signal: controller.signal }));
    expect(e.code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("errors that retrying cannot fix are not retried", async () => {
    const { es } = throughProxy();
    const e = await failure(es.entities.put("cart", unique("cart"), {}, { ifMatch: '"9"' }));
    expect(e).toMatchObject({ code: "precondition-failed", attempts: 1 });
    expect(proxy.seen).toHaveLength(1);
  });
});
