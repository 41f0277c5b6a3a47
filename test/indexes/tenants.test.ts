// Tenants are isolated: a tenant key never sees, queries or changes another tenant's indexes, and
// equal key values in two tenants hash apart (each tenant has its own blind index key).

import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { newEntity, newType, put } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered, query, shardsOf } from "../support/indexes";
import { expectProblem } from "../support/problem";

describe("indexes and tenants", () => {
  it("keeps each tenant's indexes and entries to itself", async () => {
    const [a, b] = [unique("ta"), unique("tb")];
    const [keyA, keyB] = [await issueKey(a), await issueKey(b)];
    const type = newType("t");
    expect((await defineIndex(type, "i", { keys: ["/k"] }, { key: keyA })).status).toBe(201);
    await buildToEnd(type, "i", a);
    const inA = newEntity(type, a);
    await put(inA, { k: "same" }, { key: keyA });
    await delivered([inA]);

    // B sees no index of A's, under the same names.
    expect(
      (await json<{ items: unknown[] }>(await api("GET", `/v1/indexes/${type}`, { key: keyB }))).items,
    ).toEqual([]);
    await expectProblem(await api("GET", `/v1/indexes/${type}/i`, { key: keyB }), 404);
    await expectProblem(await query(type, "i", { where: { "/k": "same" } }, { key: keyB }), 404);
    await expectProblem(await api("DELETE", `/v1/indexes/${type}/i`, { key: keyB }), 404);
    // A's key cannot name B's tenant.
    await expectProblem(await query(type, "i", { where: { "/k": "same" } }, { key: keyA, tenant: b }), 403);

    // B's own index of that name, over B's entities with the same values, finds only B's.
    expect((await defineIndex(type, "i", { keys: ["/k"] }, { key: keyB })).status).toBe(201);
    await buildToEnd(type, "i", b);
    const inB = newEntity(type, b);
    await put(inB, { k: "same" }, { key: keyB });
    await delivered([inB]);
    expect((await all(type, "i", { where: { "/k": "same" } }, { key: keyA })).map((i) => i.id)).toEqual([
      inA.id,
    ]);
    expect((await all(type, "i", { where: { "/k": "same" } }, { key: keyB })).map((i) => i.id)).toEqual([
      inB.id,
    ]);

    // The same value hashes differently per tenant.
    const hashes = async (tenant: string) => {
      const out: string[] = [];
      for (const shard of await shardsOf(type, "i", tenant)) {
        out.push(
          ...(await runInDurableObject(shard, (_, state) => {
            const exists = state.storage.sql
              .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'entries'")
              .one().n;
            if (!exists) return [];
            return state.storage.sql
              .exec<{ h: string }>("SELECT hex(key_hash) AS h FROM entries WHERE key_hash IS NOT NULL")
              .toArray()
              .map((r) => r.h);
          })),
        );
      }
      return out;
    };
    const [ha, hb] = [await hashes(a), await hashes(b)];
    expect(ha).toHaveLength(1);
    expect(hb).toHaveLength(1);
    expect(ha[0]).not.toBe(hb[0]);
  });
});
