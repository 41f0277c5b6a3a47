// Replay cases for the index operations: each request is checked against /openapi.json by Replay.
import { unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";
import { buildToEnd } from "../../support/indexes";

export async function replayIndexes(r: Replay) {
  const type = unique("order").replaceAll("-", "_");
  const path = `/v1/indexes/${type}/by-customer`;
  const definition = { keys: ["/customer"], sort: "/at" };
  const key = { "Idempotency-Key": unique("define") };
  await r.send("PUT", `/v1/entities/${type}/o-1`, 201, { body: { customer: "c-1", at: 1 } });
  await r.send("PUT", path, 201, { body: definition, headers: key });
  await r.send("PUT", path, 201, { body: definition, headers: key });
  await r.send("PUT", path, 422, { body: { keys: ["/other"] }, headers: key });
  await r.send("POST", `${path}/query`, 409, { body: { where: { "/customer": "c-1" } } });
  await buildToEnd(type, "by-customer");
  await r.send("PUT", path, 200, { body: definition });
  await r.send("PUT", path, 409, { body: { keys: ["/other"] } });
  await r.send("PUT", path, 400, { body: { keys: [] } });
  await r.send("PUT", path, 415, { raw: "keys=/a", contentType: "text/plain" });

  await r.send("GET", `/v1/indexes/${type}`, 200);
  await r.send("GET", path, 200);
  await r.send("GET", `/v1/indexes/${type}/missing`, 404);
  await r.send("POST", `${path}/query`, 200, {
    body: { where: { "/customer": "c-1" }, range: { gte: 0 }, order: "desc", include: "documents" },
  });
  await r.send("POST", `${path}/query`, 400, { body: { where: {} } });
  await r.send("POST", `/v1/indexes/${type}/missing/query`, 404, { body: { where: { "/a": 1 } } });

  await r.send("DELETE", path, 204, { headers: { "Idempotency-Key": unique("drop") } });
  await r.send("DELETE", path, 404);

  // A unique index: a second entity with the same values gets a 409 unique-violation, in a single
  // write and in a transaction.
  const users = unique("user").replaceAll("-", "_");
  await r.send("PUT", `/v1/indexes/${users}/by-email`, 201, { body: { keys: ["/email"], unique: true } });
  await buildToEnd(users, "by-email");
  await r.send("PUT", `/v1/entities/${users}/a`, 201, { body: { email: "x" } });
  await r.send("PUT", `/v1/entities/${users}/b`, 409, { body: { email: "x" } });
  await r.send("POST", "/v1/transactions", 409, {
    body: { operations: [{ op: "put", type: users, id: "c", body: { email: "x" } }] },
  });
}
