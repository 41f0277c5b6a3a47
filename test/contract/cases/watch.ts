// Replay cases for the watches (entities, sessions, executions; as a WebSocket and as Server-Sent
// Events) and the tickets that open them. The checker holds a watch's status and headers against
// the document and hands its stream over unread (settle.ts); each case reads what it needs and
// closes the watch, so no watcher outlives its case.
import { expect } from "vitest";
import { json, unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";
import { dataOf, readSse } from "../../watch/sse";
import { accepted } from "../../watch/support";

const PASSES = { StartAt: "Done", States: { Done: { Type: "Pass", End: true } } };
const WEBSOCKET = { Upgrade: "websocket" };
const EVENTS = { Accept: "text/event-stream" };

/** A WebSocket watch: its first message, then closed by the client. */
async function firstMessage(res: Response) {
  const watcher = accepted(res.webSocket!);
  const message = await watcher.next();
  watcher.ws.close(1000);
  return message;
}

/** An SSE watch: its first event's data, then cancelled by the client. */
async function firstEvent(res: Response) {
  const stream = readSse(res.body!);
  const [event] = await stream.count(1);
  await stream.cancel();
  return dataOf([event!])[0];
}

export async function replayWatches(r: Replay) {
  const entity = `/v1/entities/contract-watch/${unique("e")}`;
  await r.send("PUT", entity, 201, { body: { n: 1 } });
  const watchEntity = `${entity}/watch`;
  const ws = await r.send("GET", watchEntity, 101, { headers: WEBSOCKET });
  expect(await firstMessage(ws)).toMatchObject({ type: "version", version: 1 });
  const sse = await r.send("GET", `${watchEntity}?since=0`, 200, { headers: EVENTS });
  expect(await firstEvent(sse)).toMatchObject({ type: "version", version: 1 });
  await r.send("GET", watchEntity, 406);
  await r.send("GET", watchEntity, 400, { headers: { ...EVENTS, "Last-Event-ID": "one" } });

  const session = await r.send("POST", "/v1/sessions", 201, { body: { data: { n: 1 } } });
  const { id } = await json<{ id: string }>(session);
  const watchSession = `/v1/sessions/${id}/watch`;
  expect(await firstMessage(await r.send("GET", watchSession, 101, { headers: WEBSOCKET }))).toMatchObject({
    type: "data",
  });
  await r.send("DELETE", `/v1/sessions/${id}`, 204);
  await r.send("GET", watchSession, 404, { headers: WEBSOCKET });

  const machine = unique("watch");
  await r.send("PUT", `/v1/machines/${machine}`, 201, { body: PASSES });
  await r.send("POST", `/v1/machines/${machine}/executions?wait=10`, 200, { body: { name: "done" } });
  const watchExecution = `/v1/machines/${machine}/executions/done/watch`;
  const ended = readSse((await r.send("GET", watchExecution, 200, { headers: EVENTS })).body!);
  await ended.ended;
  const last = ended.events.filter((e) => e.id !== undefined).at(-1)!.id!;
  // An EventSource reconnecting after the end is told to stop.
  await r.send("GET", watchExecution, 204, { headers: { ...EVENTS, "Last-Event-ID": last } });
  await r.send("GET", `/v1/machines/${machine}/executions/${unique("x")}/watch`, 404, { headers: EVENTS });
}

export async function replayTickets(r: Replay) {
  const entity = `/v1/entities/contract-watch/${unique("e")}`;
  await r.send("PUT", entity, 201, { body: { n: 1 } });
  const issued = await r.send("POST", "/v1/tickets", 201, { body: { watch: `${entity}/watch`, ttl: 30 } });
  const { ticket } = await json<{ ticket: string }>(issued);
  const path = `${entity}/watch?ticket=${ticket}`;
  expect(await firstMessage(await r.send("GET", path, 101, { key: null, headers: WEBSOCKET }))).toMatchObject(
    {
      type: "version",
    },
  );
  // Spent by its first use.
  await r.send("GET", path, 401, { key: null, headers: WEBSOCKET });
  await r.send("POST", "/v1/tickets", 400, { body: { watch: entity } });
  await r.send("POST", "/v1/tickets", 400, {
    body: { watch: `${entity}/watch` },
    headers: { "Idempotency-Key": unique("ticket") },
  });
}
