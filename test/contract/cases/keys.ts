// Replay cases for API keys, the tenant-wide admin operations and the service routes.
import { json, unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

export async function replayKeys(r: Replay) {
  const tenant = unique("ck").toLowerCase();
  const issued = await r.send("POST", "/v1/keys", 201, {
    body: { tenant, scopes: ["read"], name: "contract" },
  });
  const { id, key } = await json<{ id: string; key: string }>(issued);
  await r.send("POST", "/v1/keys", 400, { body: { tenant, scopes: [] } });
  await r.send("POST", "/v1/keys", 400, {
    body: { tenant, scopes: ["read"] },
    headers: { "Idempotency-Key": "k" },
  });
  await r.send("GET", "/v1/keys?limit=5", 200);
  await r.send("GET", "/v1/keys", 403, { key });
  await r.send("DELETE", `/v1/keys/${id}`, 204, { headers: { "Idempotency-Key": unique("revoke") } });
  await r.send("DELETE", `/v1/keys/${id}`, 204);
  await r.send("DELETE", "/v1/keys/not-a-key", 404);
  await r.send("GET", "/v1/keys", 401, { key });
}

export async function replayAdmin(r: Replay) {
  await r.send("PUT", `/v1/entities/contract/${unique("sealed")}`, 201, {
    body: { a: 1 },
    tenant: "contract-admin",
  });
  await r.send("GET", "/v1/admin/tenants?limit=10", 200);
  await r.send("POST", "/v1/admin/reencrypt?limit=10", 200, { tenant: "contract-admin" });
  await r.send("POST", "/v1/admin/reencrypt?cursor=not-ours", 400, { tenant: "contract-admin" });
}

export async function replayService(r: Replay) {
  await r.send("GET", "/healthz", 200, { key: null });
  await r.send("GET", "/openapi.json", 200, { key: null });
  await r.send("POST", "/healthz", 405, { key: null });
}
