// Dropped connections, against `wrangler dev`: a watcher that reconnects with what it last saw
// (`since`, or SSE's Last-Event-ID) misses nothing and sees nothing twice, while writes go on.
import { describe, expect, it } from "vitest";
import { base, call, openSse, openWebSocket, tenantKey } from "./clients";
import { RawWebSocket } from "./raw-websocket";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function writeEach(path: string, key: string, from: number, to: number) {
  for (let n = from; n <= to; n++) expect((await call("PUT", path, key, { n })).status).toBeOneOf([200, 201]);
}

describe("resuming after a dropped connection", () => {
  it("loses nothing over a WebSocket whose connection dropped, resumed with since", async () => {
    const key = await tenantKey(`live-resume-${Date.now()}`);
    const path = `/v1/entities/doc/resume-${Date.now()}`;
    await writeEach(path, key, 1, 5);
    const first = await RawWebSocket.open(base(), `${path}/watch?since=0`, {
      Authorization: `Bearer ${key}`,
    });
    // The writer goes on; the watcher's TCP connection is cut part way through (no close frame).
    const writing = writeEach(path, key, 6, 60);
    await expect.poll(() => first.texts().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(15);
    first.destroy();
    const seen = first.texts().map((t) => Number((JSON.parse(t) as { version: number }).version));
    const second = await openWebSocket(`${path}/watch?since=${seen.at(-1)}`, key);
    await writing;
    await second.until((m) => m.length >= 60 - seen.length);
    const all = [...seen, ...second.messages.map((m) => Number(m.version))];
    expect(all).toEqual(range(1, 60));
    second.close();
  });

  it("loses nothing over SSE resumed with Last-Event-ID", async () => {
    const key = await tenantKey(`live-resume-sse-${Date.now()}`);
    const path = `/v1/entities/doc/resume-sse-${Date.now()}`;
    await writeEach(path, key, 1, 3);
    const first = await openSse(`${path}/watch`, key);
    const writing = writeEach(path, key, 4, 50);
    await first.until((m) => m.length >= 10);
    first.close();
    const lastId = first.lastId()!;
    const seen = first.messages
      .filter((m) => Number(m.version) <= Number(lastId))
      .map((m) => Number(m.version));
    const second = await openSse(`${path}/watch`, key, lastId);
    await writing;
    // The first message was the current state (version 3): versions 3 to 50 in all.
    await second.until((m) => m.length >= range(3, 50).length - seen.length);
    expect([...seen, ...second.messages.map((m) => Number(m.version))]).toEqual(range(3, 50));
    second.close();
  });
});
