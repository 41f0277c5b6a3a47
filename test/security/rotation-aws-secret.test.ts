// Key rotation reaches API keys' AWS secrets too: each key is in its tenant's registry, the walk
// re-seals its secret under the new primary, and once the old key leaves the ring the key still
// signs SigV4 requests.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { aws, awsKey } from "../aws/support";
import { json, unique } from "../support/api";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { fetchWith, ringSecret, setObjectSecret } from "./support";

const ROTATING = ringSecret("k2", ["k1", "k2"]);
const K2_ONLY = ringSecret("k2", ["k2"]);
const DEFINITION = JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } });

const sealedKeyId = (keyId: string) =>
  runInDurableObject(env.API_KEYS.getByName(`key/${keyId}`), (_i, state) => {
    const record = state.storage.kv.get<{ awsSecret: string }>("record");
    return record?.awsSecret.split(".")[1];
  });

describe("rotating k1 → k2 with API keys", () => {
  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", JSON.stringify(TEST_ENCRYPTION_KEYS));
  });

  it("re-seals each key's AWS secret, which still signs once k1 is gone", async () => {
    const tenant = unique("rotkey");
    const key = await awsKey(tenant);
    expect(await sealedKeyId(key.id)).toBe("k1");

    await setObjectSecret("ENCRYPTION_KEYS", ROTATING);
    let cursor: string | null = null;
    let reencrypted = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await fetchWith(
        { ENCRYPTION_KEYS: ROTATING },
        "POST",
        `/v1/admin/reencrypt?limit=10${query}`,
        { tenant },
      );
      expect(res.status).toBe(200);
      const page = await json<{ reencrypted: number; unreached: unknown[]; cursor: string | null }>(res);
      expect(page.unreached).toEqual([]);
      reencrypted += page.reencrypted;
      cursor = page.cursor;
    } while (cursor !== null);
    expect(reencrypted).toBe(1);
    expect(await sealedKeyId(key.id)).toBe("k2");

    await setObjectSecret("ENCRYPTION_KEYS", K2_ONLY);
    const signed = await aws(
      key,
      "ValidateStateMachineDefinition",
      { definition: DEFINITION },
      { env: { ENCRYPTION_KEYS: K2_ONLY } },
    );
    expect(signed).toMatchObject({ status: 200, body: { result: "OK" } });
  });
});
