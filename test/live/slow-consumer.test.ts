// A watcher that stops reading, against `wrangler dev`: sends never wait for it, so every write is
// answered and every other watcher gets every version while it reads nothing; once its buffer is
// full it is closed with 4429, and it resumes with `since`.
import { describe, expect, it } from "vitest";
import { base, call, openWebSocket, tenantKey } from "./clients";
import { RawWebSocket } from "./raw-websocket";

// About 18 MiB in all: more than the kernel's and the dev server's proxy buffers hold (about 8 MiB
// here) plus the 1 MiB a connection may queue at the object.
const WRITES = 90;
const PAD = "x".repeat(200_000);

describe("a slow consumer", () => {
  it("is cut off with 4429 while the writer and a fast watcher go on, then resumes with since", async () => {
    const key = await tenantKey(`live-slow-${Date.now()}`);
    const path = `/v1/entities/doc/slow-${Date.now()}`;
    await call("PUT", path, key, { n: 0, pad: "" });
    const slow = await RawWebSocket.open(base(), `${path}/watch`, { Authorization: `Bearer ${key}` });
    const fast = await openWebSocket(`${path}/watch`, key);
    await fast.until((m) => m.length >= 1);
    slow.pause();

    for (let n = 1; n <= WRITES; n++) {
      const res = await call("PUT", path, key, { n, pad: PAD });
      expect(res.status).toBe(200);
    }
    // Every write was answered, and the fast watcher had all of them, while `slow` read nothing.
    await fast.until((m) => m.length >= WRITES + 1);
    expect(fast.messages.map((m) => m.version)).toEqual(Array.from({ length: WRITES + 1 }, (_, i) => i + 1));

    slow.resume();
    const closed = await slow.closed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/^slow consumer: resume with since=\d+$/);
    const got = slow.texts().map((t) => JSON.parse(t) as { version: number });
    const last = got.at(-1)!.version;
    expect(got.map((m) => m.version)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(last).toBeLessThan(WRITES + 1);
    expect(closed.reason).toBe(`slow consumer: resume with since=${last}`);
    slow.destroy();

    const resumed = await openWebSocket(`${path}/watch?since=${last}`, key);
    await resumed.until((m) => m.length >= WRITES + 1 - last);
    expect(resumed.messages.map((m) => m.version)).toEqual(
      Array.from({ length: WRITES + 1 - last }, (_, i) => last + 1 + i),
    );
    resumed.close();
    fast.close();
  }, 180_000);
});
