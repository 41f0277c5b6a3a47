// Key rotation of an execution whose snapshot is stored across several keys (over 2 MB, the
// platform's limit on one value): the re-encryption pass re-seals it whole, under the new key, and
// it still loads and runs once the old key has left the ring.
import { runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import {
  BIG_VARIABLES,
  BIG_VARIABLES_OUTPUT,
  describe as describeExecution,
  executionObject,
  fireTimer,
} from "../machines/support";
import { api, json, unique } from "../support/api";
import { expectWithinStorageLimits } from "../support/storage-limits";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { fetchWith, ringSecret, sealedKeyIds, setObjectSecret } from "./support";

const tenant = unique("rotbig");
const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);

async function deploy(secret: string) {
  await setObjectSecret("ENCRYPTION_KEYS", secret);
  return (method: string, path: string) => fetchWith({ ENCRYPTION_KEYS: secret }, method, path, { tenant });
}

describe("rotating a snapshot stored in chunks", () => {
  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
  });

  it("is re-sealed whole under k2 and runs on with k1 gone", async () => {
    expect((await api("PUT", "/v1/machines/big", { tenant, body: BIG_VARIABLES })).status).toBe(201);
    const started = await api("POST", "/v1/machines/big/executions", { tenant, body: { input: {} } });
    const { name } = await json<{ name: string }>(started);
    const stub = executionObject("big", name, tenant);
    const chunks = () => runInDurableObject(stub, (_i, state) => state.storage.kv.get<number>("snapshot#n"));
    expect(await chunks()).toBeGreaterThan(1);
    expect(await sealedKeyIds(stub)).toEqual(["k1"]);

    const rotating = await deploy(ringSecret("k2", ["k1", "k2"]));
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await rotating("POST", `/v1/admin/reencrypt?limit=50${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      cursor = (await json<{ cursor: string | null }>(res)).cursor;
    } while (cursor !== null);
    expect(await sealedKeyIds(stub)).toEqual(["k2"]);
    expect(await chunks()).toBeGreaterThan(1);
    await expectWithinStorageLimits(stub);

    await deploy(ringSecret("k2", ["k2"]));
    await fireTimer(stub);
    expect(await describeExecution("big", name, tenant)).toMatchObject({
      status: "SUCCEEDED",
      output: BIG_VARIABLES_OUTPUT,
    });
    await expectWithinStorageLimits(stub);
  }, 120_000);
});
