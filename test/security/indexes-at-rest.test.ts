// Index storage never holds a document body or a key value in clear: key values are blind
// hashes, documents are the entities' own sealed values, and the sort value is the one thing
// kept in clear (README says so). Checked on the raw storage of every object an index involves:
// its shards, its catalog, the registry shards it announced to, and an entity's pending outbox.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REGISTRY_SHARDS } from "../../src/core/registry";
import type { Transport } from "../../src/objects/shell/outbox";
import { unique } from "../support/api";
import { entityObject, newEntity, newType, put } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { buildToEnd, catalogObject, defineIndex, delivered, page, shardsOf } from "../support/indexes";

// A delivery is held back on purpose here, and each attempt logs outbox_delivery_failed:
// captured (each line one JSON object naming its event), not printed over a passing suite.
captureErrorLog();

const SEALED = /^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const hexOf = (text: string) => hex(new TextEncoder().encode(text));

/** Every row of every table and every KV value of an object, blobs as hex, as one string. */
function rawStorage(stub: DurableObjectStub): Promise<string> {
  return runInDurableObject(stub, (_instance, state) => {
    const values: unknown[] = [...state.storage.kv.list()];
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .toArray();
    for (const { name } of tables)
      values.push(name, ...state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray());
    return JSON.stringify(values, (_k, v) => (v instanceof ArrayBuffer ? hex(new Uint8Array(v)) : v));
  });
}

describe("index storage at rest", () => {
  it("holds no key value or document in clear, only blind hashes, sealed copies and the sort value", async () => {
    const tenant = unique("idx-enc");
    const type = newType("enc");
    const keyMarker = `MARKER-KEY-${crypto.randomUUID()}`;
    const otherKey = `MARKER-CUSTOMER-${crypto.randomUUID()}`;
    const bodyMarker = `MARKER-BODY-${crypto.randomUUID()}`;
    const sortValue = `SORT-${crypto.randomUUID()}`;
    await defineIndex(type, "by-secret", { keys: ["/customer", "/secret"], sort: "/at" }, { tenant });
    await buildToEnd(type, "by-secret", tenant);
    const e = newEntity(type, tenant);
    const doc = { customer: otherKey, secret: keyMarker, at: sortValue, note: bodyMarker };
    expect((await put(e, doc, { tenant })).status).toBe(201);
    await delivered([e]);
    const found = await page(
      type,
      "by-secret",
      { where: { "/customer": otherKey, "/secret": keyMarker }, include: "documents" },
      { tenant },
    );
    expect(found.items.map((i) => [i.id, i.sort, i.body])).toEqual([[e.id, sortValue, doc]]);

    // An entity whose delivery is pending: its outbox row is in its own storage.
    const pending = newEntity(type, tenant);
    await runInDurableObject(entityObject(pending), (instance) => {
      (instance as unknown as { outbox: { transport: Transport } }).outbox.transport = async () => {
        throw new Error("held back for this test");
      };
    });
    await put(pending, { ...doc, note: `${bodyMarker}-2` }, { tenant });

    const shards = await shardsOf(type, "by-secret", tenant);
    const registry = Array.from({ length: REGISTRY_SHARDS }, (_, i) =>
      env.REGISTRY.getByName(`${tenant}/${i}`),
    );
    const dumps = await Promise.all([
      ...shards.map(rawStorage),
      rawStorage(catalogObject(type, tenant)),
      ...registry.map(rawStorage),
      rawStorage(entityObject(pending)),
    ]);
    expect(dumps.at(-1)).toContain('"topic":"index/');
    const everything = dumps.join("\n");
    for (const marker of [keyMarker, otherKey, bodyMarker]) {
      expect(everything).not.toContain(marker);
      expect(everything).not.toContain(hexOf(marker));
    }
    expect(everything).not.toContain("MARKER");
    // The one thing in clear: the sort value (as its bytes), in the shard that holds the entry.
    const shardDumps = dumps.slice(0, shards.length).join("\n");
    expect(shardDumps).toContain(hexOf(sortValue));
    // The document copy is the entity's own sealed value.
    const bodies = await Promise.all(
      shards.map((s) =>
        runInDurableObject(s, (_, state) => {
          const has = state.storage.sql
            .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'entries'")
            .one().n;
          return has
            ? state.storage.sql.exec<{ body: string }>("SELECT body FROM entry_bodies").toArray()
            : [];
        }),
      ),
    );
    const stored = bodies.flat();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toMatch(SEALED);
  });
});
