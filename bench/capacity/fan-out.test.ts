// What one watched object carries: for N watchers of one entity, how long a write takes (the
// writer's view), and how many messages per second the object's fan-out delivers. Measured inside
// workerd through the real Worker (routes, auth, the object, its hub); the watchers' ends live in
// the same isolate, so the figures include receiving every message (counted, not parsed): an
// overestimate of the object's own cost. The machine's load moves them by up to 2×: run it twice.
// Prints a markdown table for the README; asserts only that every watcher got every version.
import { exports } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_KEY } from "../../test/support/test-secrets";

const WRITES = 50;
const WATCHERS = [0, 100, 1_000, 2_000];
const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const rows: string[] = [];

/** Watchers that only count what they receive (no parsing), so the figure is mostly the object's. */
async function openWatchers(path: string, n: number) {
  const received: number[] = new Array(n).fill(0);
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i++) {
    const res = await exports.default.fetch(`https://edgestate.test${path}/watch`, {
      headers: { ...auth, Upgrade: "websocket" },
    });
    const ws = res.webSocket!;
    ws.accept();
    ws.addEventListener("message", () => {
      received[i]!++;
    });
    sockets.push(ws);
  }
  return { received, sockets };
}

async function write(path: string, n: number): Promise<number> {
  const res = await exports.default.fetch(`https://edgestate.test${path}`, {
    method: "PUT",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ n, note: "a small document, as the other scenarios write" }),
  });
  await res.arrayBuffer();
  return Number(res.headers.get("Edgestate-Version"));
}

describe("fan-out capacity of one object", () => {
  for (const n of WATCHERS) {
    it(`${n} watchers`, async () => {
      const path = `/v1/entities/capacity/n-${n}-${Date.now()}`;
      await write(path, 0);
      const { received, sockets } = await openWatchers(path, n);
      const writeMs: number[] = [];
      const started = performance.now();
      for (let i = 1; i <= WRITES; i++) {
        const t = performance.now();
        await write(path, i);
        writeMs.push(performance.now() - t);
      }
      // The current state first, then one message per write.
      while (received.some((c) => c < WRITES + 1)) await new Promise((r) => setTimeout(r, 1));
      const seconds = (performance.now() - started) / 1000;
      expect(received.every((c) => c === WRITES + 1)).toBe(true);
      writeMs.sort((a, b) => a - b);
      const p = (q: number) => writeMs[Math.floor(q * (writeMs.length - 1))]!.toFixed(1);
      const perSecond = n === 0 ? "–" : Math.round((n * WRITES) / seconds).toLocaleString("en");
      rows.push(
        `| ${n.toLocaleString("en")} | ${p(0.5)} | ${p(0.99)} | ${(WRITES / seconds).toFixed(0)} | ${perSecond} |`,
      );
      for (const ws of sockets) ws.close(1000);
    });
  }

  afterAll(() => {
    console.log(
      [
        "",
        `| watchers | write p50 ms | write p99 ms | writes/s (one writer) | messages/s delivered |`,
        "|---|---|---|---|---|",
        ...rows,
      ].join("\n"),
    );
  });
});
