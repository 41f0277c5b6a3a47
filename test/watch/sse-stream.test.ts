import { describe, expect, it } from "vitest";
import { sseStream } from "../../src/http/watch/sse-stream";
import { readSse } from "./sse";

/** The object's end of a watch, and the stream the Worker makes of the other end. */
function bridged(limits: { heartbeatMs: number; bufferBytes: number }) {
  const { 0: worker, 1: object } = new WebSocketPair();
  object.accept();
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    object.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  return { object, closed, stream: sseStream(worker, limits) };
}

describe("Server-Sent Events from a watch", () => {
  it("passes the object's frames through and sends a heartbeat comment when idle", async () => {
    const { object, stream } = bridged({ heartbeatMs: 20, bufferBytes: 1 << 20 });
    const reader = readSse(stream);
    object.send('id: 1\ndata: {"type":"version","version":1}\n\n');
    expect(await reader.count(1)).toEqual([
      { id: "1", event: "message", data: '{"type":"version","version":1}' },
    ]);
    await expect.poll(() => reader.comments).toContain("ping");
    await reader.cancel();
  });

  it("ends with a close event carrying the object's code and reason", async () => {
    const { object, stream } = bridged({ heartbeatMs: 60_000, bufferBytes: 1 << 20 });
    const reader = readSse(stream);
    object.close(4401, "the API key was revoked");
    await reader.ended;
    expect(reader.events).toEqual([
      { event: "close", data: '{"code":4401,"reason":"the API key was revoked"}' },
    ]);
  });

  it("cuts off a client that does not read once its buffer is full, and ends the watch at the object", async () => {
    const { object, closed, stream } = bridged({ heartbeatMs: 60_000, bufferBytes: 1000 });
    const frame = `data: ${JSON.stringify({ pad: "x".repeat(300) })}\n\n`;
    for (let i = 0; i < 5; i++) object.send(frame);
    expect(await closed).toEqual({ code: 4429, reason: "slow consumer: reconnect with Last-Event-ID" });
    // What was queued is still delivered, then the close event, then the end.
    const reader = readSse(stream);
    await reader.ended;
    expect(reader.events.at(-1)).toEqual({
      event: "close",
      data: '{"code":4429,"reason":"slow consumer: reconnect with Last-Event-ID"}',
    });
    expect(reader.events.length).toBeGreaterThanOrEqual(4);
  });

  it("ends the watch at the object when the client goes away", async () => {
    const { closed, stream } = bridged({ heartbeatMs: 60_000, bufferBytes: 1 << 20 });
    await stream.cancel();
    expect(await closed).toEqual({ code: 1000, reason: "the client went away" });
  });
});
