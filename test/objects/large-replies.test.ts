// The first reply kept under an Idempotency-Key shows the data written (an entity's document, a
// session's data) as a JSON string inside the reply's JSON, so every quote and backslash in it is
// escaped again: with MAX_BODY_BYTES at its largest (1 MiB), a document of short strings makes a
// reply of 1.7 MB, 2.3 MB sealed, over the 2 MB a Durable Object accepts per SQL value in
// production (workerd here enforces no limit). The ledger keeps it in parts.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWith, ringSecret, sealedKeyIds, setObjectSecret } from "../security/support";
import { json, unique } from "../support/api";
import { expectWithinStorageLimits } from "../support/storage-limits";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";

const LARGEST = "1048576";
const tenant = unique("bigreply");
/** 349,000 empty strings: 1,047,001 bytes of JSON, nearly every one of them a quote. */
const DENSE = JSON.stringify(Array.from({ length: 349_000 }, () => ""));
let previous = "";

let ring = JSON.stringify(TEST_ENCRYPTION_KEYS);

const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  fetchWith({ MAX_BODY_BYTES: LARGEST, ENCRYPTION_KEYS: ring }, method, path, {
    tenant,
    headers,
    ...(body === undefined ? {} : { body }),
  });

const partsLeft = (stub: DurableObjectStub) =>
  runInDurableObject(
    stub,
    (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency_parts").one().n,
  );

describe("an idempotent reply over 2 MB sealed", () => {
  beforeAll(async () => {
    previous = await setObjectSecret("MAX_BODY_BYTES", LARGEST);
  });
  afterAll(async () => {
    await setObjectSecret("MAX_BODY_BYTES", previous);
    await setObjectSecret("ENCRYPTION_KEYS", JSON.stringify(TEST_ENCRYPTION_KEYS));
  });

  /** A redeploy with `secret` as the ring, for the Worker and its objects. */
  async function deploy(secret: string) {
    ring = secret;
    await setObjectSecret("ENCRYPTION_KEYS", secret);
  }

  it("an entity PUT is kept within the limits, replayed whole, re-sealed whole, withdrawn with the entity", async () => {
    const headers = { "Idempotency-Key": "big-put" };
    const first = await call("PUT", "/v1/entities/doc/dense", DENSE, headers);
    expect(first.status, await first.clone().text()).toBe(201);
    const stub = env.ENTITIES.getByName(`${tenant}/doc/dense`);
    await expectWithinStorageLimits(stub);
    const again = await call("PUT", "/v1/entities/doc/dense", DENSE, headers);
    expect([again.status, again.headers.get("Idempotent-Replayed")]).toEqual([201, "true"]);
    expect(again.headers.get("ETag")).toBe(first.headers.get("ETag"));
    const read = await call("GET", "/v1/entities/doc/dense");
    expect(await read.text()).toBe(DENSE);
    // Rotation re-seals the reply whole: with the old key gone, the retry still replays.
    await deploy(ringSecret("k2", ["k1", "k2"]));
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await call("POST", `/v1/admin/reencrypt?limit=50${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      cursor = (await json<{ cursor: string | null }>(res)).cursor;
    } while (cursor !== null);
    expect(await sealedKeyIds(stub)).toEqual(["k2"]);
    await expectWithinStorageLimits(stub);
    await deploy(ringSecret("k2", ["k2"]));
    const rotated = await call("PUT", "/v1/entities/doc/dense", DENSE, headers);
    expect([rotated.status, rotated.headers.get("Idempotent-Replayed")]).toEqual([201, "true"]);
    // The delete withdraws the reply that showed the document: its parts go with it.
    expect((await call("DELETE", "/v1/entities/doc/dense")).status).toBe(204);
    expect(await partsLeft(stub)).toBe(0);
    const retry = await call("PUT", "/v1/entities/doc/dense", DENSE, headers);
    expect(retry.status).toBeGreaterThanOrEqual(400);
  }, 60_000);

  it("a session created with 1 MiB of data is kept within the limits and replayed", async () => {
    const headers = { "Idempotency-Key": "big-login" };
    const body = JSON.stringify({ data: { a: Array.from({ length: 348_000 }, () => "") } });
    const first = await call("POST", "/v1/sessions", body, headers);
    expect(first.status, await first.clone().text()).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const stub = env.SESSIONS.getByName(`${tenant}/${id}`);
    await expectWithinStorageLimits(stub);
    const again = await call("POST", "/v1/sessions", body, headers);
    expect([again.status, again.headers.get("Idempotent-Replayed")]).toEqual([201, "true"]);
    expect(((await again.json()) as { id: string }).id).toBe(id);
  }, 60_000);
});
