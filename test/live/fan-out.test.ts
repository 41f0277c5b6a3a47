// Issue 16 against `wrangler dev`, with real clients: every version of 500 concurrent writes
// arrives exactly once, in order, on each of 50 watchers (WebSocket and SSE, bearer and ticket).
import { describe, expect, it } from "vitest";
import {
  base,
  call,
  openEventSource,
  openSse,
  openWebSocket,
  pool,
  type Received,
  tenantKey,
  ticket,
} from "./clients";

const WRITES = 500;

describe("fan-out under concurrent writes", () => {
  it("delivers every version of 500 concurrent writes exactly once, in order, to each of 50 watchers", async () => {
    const tenant = `live-fan-${Date.now()}`;
    // Separate keys: the dev server's rate limit (600 a minute) counts per key.
    const [watcherKey, writerA, writerB] = await Promise.all([
      tenantKey(tenant),
      tenantKey(tenant),
      tenantKey(tenant),
    ]);
    const path = `/v1/entities/doc/fan-${Date.now()}`;
    const watchPath = `${path}/watch`;
    const watchers: Received[] = [];
    for (let i = 0; i < 20; i++) watchers.push(await openWebSocket(watchPath, watcherKey));
    for (let i = 0; i < 5; i++)
      watchers.push(await openWebSocket(`${watchPath}?ticket=${await ticket(watcherKey, watchPath)}`));
    for (let i = 0; i < 20; i++) watchers.push(await openSse(watchPath, watcherKey));
    for (let i = 0; i < 5; i++)
      watchers.push(
        await openEventSource(`${base()}${watchPath}?ticket=${await ticket(watcherKey, watchPath)}`),
      );
    expect(watchers).toHaveLength(50);
    await Promise.all(watchers.map((w) => w.until((m) => m.length >= 1)));
    for (const w of watchers) expect(w.messages[0]).toEqual({ type: "missing" });

    // 500 writes from 32 clients at once; each reply says which version its body became.
    const bodies = new Map<number, unknown>();
    await pool(WRITES, 32, async (i) => {
      const res = await call("PUT", path, i % 2 ? writerA : writerB, { writer: i, pad: "x".repeat(200) });
      expect(res.status, JSON.stringify(res.body)).toBeOneOf([200, 201]);
      bodies.set(Number(res.headers.get("edgestate-version")), res.body);
    });
    expect([...bodies.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: WRITES }, (_, i) => i + 1));

    await Promise.all(watchers.map((w) => w.until((m) => m.length >= WRITES + 1)));
    for (const w of watchers) {
      const versions = w.messages.slice(1);
      expect(versions.map((m) => m.version)).toEqual(Array.from({ length: WRITES }, (_, i) => i + 1));
      for (const m of versions) expect(m.body).toEqual(bodies.get(Number(m.version)));
      expect(w.messages).toHaveLength(WRITES + 1);
    }
    for (const w of watchers) w.close();
  }, 240_000);
});
