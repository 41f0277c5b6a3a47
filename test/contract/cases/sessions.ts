// Replay cases for the session operations.
import { expect } from "vitest";
import { json, unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

const MERGE = "application/merge-patch+json";

export async function replaySessions(r: Replay) {
  const subject = unique("u");
  const key = { "Idempotency-Key": unique("create") };
  const created = await r.send("POST", "/v1/sessions", 201, {
    body: { subject, data: { n: 1 } },
    headers: key,
  });
  const { id } = await json<{ id: string }>(created);
  await r.send("POST", "/v1/sessions", 201, { body: { subject, data: { n: 1 } }, headers: key });
  await r.send("POST", "/v1/sessions", 422, { body: { subject, data: { n: 2 } }, headers: key });
  await r.send("POST", "/v1/sessions", 201);
  await r.send("POST", "/v1/sessions", 400, { body: { ttl: 5, extra: true } });
  await r.send("POST", "/v1/sessions", 415, {
    raw: "subject=x",
    contentType: "application/x-www-form-urlencoded",
  });

  const path = `/v1/sessions/${id}`;
  const read = await r.send("GET", path, 200);
  await r.send("GET", path, 304, { headers: { "If-None-Match": read.headers.get("ETag")! } });
  await r.send("PATCH", path, 200, { body: { n: 2 }, contentType: MERGE, headers: { "If-Match": '"1"' } });
  await r.send("PATCH", path, 412, { body: { n: 3 }, contentType: MERGE, headers: { "If-Match": '"1"' } });
  await r.send("PATCH", path, 415, { body: { n: 3 } });
  await r.send("GET", `/v1/subjects/${subject}/sessions`, 200);
  await r.send("DELETE", path, 204, { headers: { "Idempotency-Key": unique("revoke") } });
  await r.send("GET", path, 404);
  await r.send("PATCH", path, 404, { body: { n: 4 }, contentType: MERGE });
  await r.send("DELETE", path, 404);

  await r.send("POST", "/v1/sessions", 201, { body: { subject } });
  const everywhere = await r.send("DELETE", `/v1/subjects/${subject}/sessions`, 200);
  expect(await json(everywhere)).toEqual({ revoked: 1 });
}
