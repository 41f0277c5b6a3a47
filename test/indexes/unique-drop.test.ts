// A dropped unique index refuses nothing more, even on entities that knew it: a claim refused in
// a generation the entity knows asks the type's catalog once for what it should know now (the
// claim runs before the commit, so no delivery to a retired shard would tell it).
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../support/api";
import { newType, put } from "../support/entities";
import { buildToEnd, catalogObject, defineIndex } from "../support/indexes";

const ref = (type: string, id: string) => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});

describe("dropping a unique index", () => {
  it("stops refusing duplicate values once DELETE /v1/indexes answered 204", async () => {
    const type = newType("ud");
    expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
    await buildToEnd(type, "by-email");
    expect((await put(ref(type, "a"), { email: "x@example.com" })).status).toBe(201);
    // b exists before the drop (so it knows the index), with another value
    expect((await put(ref(type, "b"), { email: "y@example.com" })).status).toBe(201);
    expect((await api("DELETE", `/v1/indexes/${type}/by-email`)).status).toBe(204);
    // let the catalog finish whatever the drop owes (announce, retire shards)
    for (let i = 0; i < 20; i++) await runDurableObjectAlarm(catalogObject(type));
    expect((await api("GET", `/v1/indexes/${type}`)).status).toBe(200);
    // no unique index on the type any more: a second entity may hold x
    const c = await put(ref(type, "c"), { email: "x@example.com" });
    const b = await put(ref(type, "b"), { email: "x@example.com" });
    const a = await put(ref(type, "a"), { email: "x@example.com", n: 2 });
    expect([c.status, b.status, a.status], `${await c.text()} ${await b.text()}`).toEqual([201, 200, 200]);
  });
});
