// Key rotation rebuilds what depends on the key: an index's blind hashes derive from a ring key,
// so the re-encryption job builds a generation under the new primary beside the serving one
// (queries keep being served), switches to it, retires the old one, and re-seals the document
// copies the index keeps; once it reports 0, the old key can leave the ring.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { newEntity, newType, put } from "../support/entities";
import { buildToEnd, catalogObject, defineIndex, delivered, shardsOf } from "../support/indexes";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { fetchWith, ringSecret, setObjectSecret } from "./support";

const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);

/** The key ids named by the sealed values in a store (SQL rows and KV), and whether it was retired. */
function keyIdsIn(stub: DurableObjectStub): Promise<{ ids: string[]; retired: boolean }> {
  return runInDurableObject(stub, (_i, state) => {
    const values: unknown[] = [...state.storage.kv.list()].map(([, v]) => v);
    for (const { name } of state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .toArray())
      for (const row of state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray())
        values.push(...Object.values(row));
    const ids = values
      .filter((v): v is string => typeof v === "string" && v.startsWith("es1."))
      .map((v) => v.split(".")[1]!);
    return { ids: [...new Set(ids)].sort(), retired: state.storage.kv.get("retired") !== undefined };
  });
}

describe("key rotation and indexes", () => {
  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
  });

  it("rebuilds an index under the new primary, serving queries throughout, then works with k2 alone", async () => {
    const tenant = unique("rot-idx");
    const type = newType("r");
    await defineIndex(type, "by-k", { keys: ["/k"], sort: "/n" }, { tenant });
    await buildToEnd(type, "by-k", tenant);
    const refs = Array.from({ length: 5 }, () => newEntity(type, tenant));
    for (const [i, ref] of refs.entries()) await put(ref, { k: "rot", n: i }, { tenant });
    await delivered(refs);
    const oldShards = await shardsOf(type, "by-k", tenant);

    const secret = ringSecret("k2", ["k1", "k2"]);
    await setObjectSecret("ENCRYPTION_KEYS", secret);
    const call = (ring: string, method: string, path: string, body?: unknown) =>
      fetchWith({ ENCRYPTION_KEYS: ring }, method, path, {
        tenant,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const job = async (ring: string) => {
      let total = 0;
      let cursor: string | null = null;
      do {
        const res = await call(
          ring,
          "POST",
          `/v1/admin/reencrypt?limit=50${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(res.status).toBe(200);
        const page = (await res.json()) as {
          reencrypted: number;
          unreached: unknown[];
          cursor: string | null;
        };
        expect(page.unreached).toEqual([]);
        total += page.reencrypted;
        cursor = page.cursor;
      } while (cursor !== null);
      return total;
    };
    const docs = async (ring: string) => {
      const res = await call(ring, "POST", `/v1/indexes/${type}/by-k/query`, {
        where: { "/k": "rot" },
        include: "documents",
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { items: { body: { n: number } }[] }).items.map((i) => i.body.n);
    };

    expect(await job(secret)).toBeGreaterThan(0);
    const during = (await (await call(secret, "GET", `/v1/indexes/${type}/by-k`)).json()) as Record<
      string,
      unknown
    >;
    expect(during).toMatchObject({ status: "ACTIVE", rebuilding: true });
    expect(await docs(secret)).toEqual([0, 1, 2, 3, 4]);
    // A write during the rebuild reaches both generations.
    const late = newEntity(type, tenant);
    expect((await put(late, { k: "rot", n: 5 }, { tenant })).status).toBe(201);
    await delivered([late]);
    for (let i = 0; i < 200; i++) {
      const view = (await (await call(secret, "GET", `/v1/indexes/${type}/by-k`)).json()) as {
        rebuilding: boolean;
      };
      if (!view.rebuilding) break;
      await runDurableObjectAlarm(catalogObject(type, tenant));
    }
    expect(await docs(secret)).toEqual([0, 1, 2, 3, 4, 5]);
    // Run again until nothing is left under k1 (the first runs re-seal what the rebuild copied).
    let rounds = 0;
    while ((await job(secret)) > 0) {
      await runDurableObjectAlarm(catalogObject(type, tenant));
      expect(++rounds).toBeLessThan(5);
    }

    // The old generation's shards are retired; the new ones name k2 only.
    for (const shard of oldShards) expect(await keyIdsIn(shard)).toEqual({ ids: [], retired: true });
    const newShards = await shardsOf(type, "by-k", tenant);
    expect(newShards[0]!.id.toString()).not.toBe(oldShards[0]!.id.toString());
    for (const shard of newShards)
      expect((await keyIdsIn(shard)).ids.filter((id) => id !== "k2")).toEqual([]);

    // k1 leaves the ring: the index still answers, documents included.
    const k2Only = ringSecret("k2", ["k2"]);
    await setObjectSecret("ENCRYPTION_KEYS", k2Only);
    expect(await docs(k2Only)).toEqual([0, 1, 2, 3, 4, 5]);
    const after = newEntity(type, tenant);
    expect((await call(k2Only, "PUT", `/v1/entities/${type}/${after.id}`, { k: "rot", n: 6 })).status).toBe(
      201,
    );
    await delivered([after]);
    expect(await docs(k2Only)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    // An entity from before the rotation still knows the retired generation (hashed under k1); its
    // refused write would deliver nothing, so it asks the catalog instead and takes the write.
    const old = refs[0]!;
    const rewritten = await call(k2Only, "PUT", `/v1/entities/${type}/${old.id}`, { k: "rot", n: 10 });
    expect(rewritten.status, await rewritten.clone().text()).toBe(200);
  });
});
