// Replay cases for the entity operations: each request is checked against /openapi.json by Replay.
import { expect } from "vitest";
import { issueKey, unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";

export async function replayEntities(r: Replay) {
  const path = `/v1/entities/contract/${unique("e")}`;
  const key = { "Idempotency-Key": unique("put") };
  await r.send("PUT", `${path}?ttl=3600`, 201, { body: { a: 1 }, headers: key });
  const replayed = await r.send("PUT", `${path}?ttl=3600`, 201, { body: { a: 1 }, headers: key });
  expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
  await r.send("PUT", `${path}?ttl=3600`, 422, { body: { a: 2 }, headers: key });
  await r.send("PUT", path, 200, { body: { a: 2 }, headers: { "If-Match": '"1"' } });
  await r.send("PUT", path, 412, { body: { a: 3 }, headers: { "If-Match": '"1"' } });
  await r.send("PUT", path, 412, { body: { a: 3 }, headers: { "If-None-Match": "*" } });
  await r.send("PUT", path, 415, { raw: "a=1", contentType: "text/plain" });
  await r.send("PUT", `${path}?ttl=0`, 400, { body: {} });
  await r.send("PUT", `${path}?tll=60`, 400, { body: {} });
  await r.send("PUT", path, 413, { raw: JSON.stringify({ big: "x".repeat(300_000) }) });

  await r.send("GET", path, 200);
  await r.send("GET", path, 304, { headers: { "If-None-Match": '"2"' } });
  await r.send("GET", `${path}?version=1`, 200);
  await r.send("GET", `${path}?consistency=eventual`, 200);
  await r.send("GET", `${path}?version=99`, 404);

  await r.send("PATCH", path, 200, { body: { b: true }, contentType: MERGE });
  await r.send("PATCH", path, 200, { body: [{ op: "add", path: "/c", value: 1 }], contentType: JSON_PATCH });
  await r.send("PATCH", path, 409, { body: [{ op: "test", path: "/c", value: 2 }], contentType: JSON_PATCH });
  await r.send("PATCH", path, 400, { body: [{ op: "jump", path: "/c" }], contentType: JSON_PATCH });
  await r.send("PATCH", path, 415, { body: { b: false } });

  await r.send("GET", `${path}/history?limit=2`, 200);
  await r.send("GET", "/v1/entities/contract?prefix=e-&limit=10", 200);

  await r.send("DELETE", path, 412, { headers: { "If-Match": '"1"' } });
  await r.send("DELETE", path, 204, { headers: { "Idempotency-Key": unique("delete") } });
  await r.send("DELETE", path, 404);
  await r.send("GET", path, 404);
  // A deleted entity keeps its history; one that never existed has none.
  await r.send("GET", `${path}/history`, 200);
  await r.send("GET", `/v1/entities/contract/${unique("never")}/history`, 404);
}

/** Refusals every /v1 operation shares, and the document-wide 404 and 405. */
export async function replayRefusals(r: Replay) {
  const path = `/v1/entities/contract/${unique("e")}`;
  await r.send("GET", path, 401, { key: null });
  await r.send("GET", path, 401, { key: "es_unknown.key" });
  const reader = await issueKey("contract-reader", ["read"]);
  await r.send("PUT", path, 403, { body: {}, key: reader });
  await r.send("GET", path, 403, { key: reader, tenant: "someone-else" });
  await r.send("GET", path, 400, { tenant: "Not A Tenant" });
  await r.send("POST", path, 405, { body: {} });
  await r.send("GET", "/v1/nothing-here", 404);
  await r.send("GET", "/healthz", 200, { key: null });
}
