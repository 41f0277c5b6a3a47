// es.indexes (and es.entities.query) against wrangler dev: define an index, wait for ACTIVE,
// query it by equality and range a page at a time, with documents; refusals by code; drop it.
import { describe, expect, it } from "vitest";
import { client, failure, unique } from "./support";

const es = client();

describe("es.indexes", () => {
  it("put, get, list, query (pages, range, documents), delete", async () => {
    const type = unique("order").replace(/[^a-z0-9_-]/g, "");
    const created = await es.indexes.put(type, "by-customer", { keys: ["/customer"], sort: "/at" });
    expect(created).toMatchObject({ type, index: "by-customer", keys: ["/customer"], sort: "/at" });
    expect(await es.indexes.put(type, "by-customer", { keys: ["/customer"], sort: "/at" })).toMatchObject({
      index: "by-customer",
    });
    await expect.poll(async () => (await es.indexes.get(type, "by-customer")).status).toBe("ACTIVE");
    for (const [id, customer, at] of [
      ["o1", "c1", "2026-03"],
      ["o2", "c1", "2026-01"],
      ["o3", "c2", "2026-02"],
      ["o4", "c1", "2026-02"],
    ] as const) {
      await es.entities.put(type, id, { customer, at });
    }
    await expect.poll(async () => (await es.indexes.get(type, "by-customer")).entries).toBe(4);
    const newest = await es.indexes.query(type, "by-customer", {
      where: { "/customer": "c1" },
      order: "desc",
    });
    expect(newest.items.map((i) => i.id)).toEqual(["o1", "o4", "o2"]);
    const ids: string[] = [];
    for await (const page of es.indexes.pages(type, "by-customer", {
      where: { "/customer": "c1" },
      range: { gte: "2026-02" },
      limit: 1,
      include: "documents",
    })) {
      ids.push(...page.items.map((i) => `${i.id}:${(i.body as { at: string }).at}`));
    }
    expect(ids).toEqual(["o4:2026-02", "o1:2026-03"]);
    const same = await es.entities.query(type, "by-customer", { where: { "/customer": "c2" } });
    expect(same.items.map((i) => i.id)).toEqual(["o3"]);
    expect((await es.indexes.list(type)).map((i) => i.index)).toEqual(["by-customer"]);

    const missingKey = await failure(es.indexes.query(type, "by-customer", { where: {} }));
    expect(missingKey.code).toBe("bad-request");
    expect(missingKey.errors.length).toBeGreaterThan(0);
    const other = await failure(es.indexes.put(type, "by-customer", { keys: ["/other"] }));
    expect(other.code).toBe("conflict");
    await es.indexes.delete(type, "by-customer");
    expect((await failure(es.indexes.get(type, "by-customer"))).code).toBe("not-found");
  });

  it("watch: the first page, then entities entering, changing and leaving the query", async () => {
    const type = unique("ticket").replace(/[^a-z0-9_-]/g, "");
    await es.indexes.put(type, "by-queue", { keys: ["/queue"] });
    await expect.poll(async () => (await es.indexes.get(type, "by-queue")).status).toBe("ACTIVE");
    await es.entities.put(type, "t1", { queue: "q1", n: 1 });
    await expect.poll(async () => (await es.indexes.get(type, "by-queue")).entries).toBe(1);
    const stop = new AbortController();
    const seen: string[] = [];
    const watch = es.indexes.watch<{ n: number }>(
      type,
      "by-queue",
      { where: { "/queue": "q1" }, include: "documents" },
      { signal: stop.signal },
    );
    for await (const m of watch) {
      if (m.type === "page") {
        seen.push(`page:${m.items.map((i) => i.id).join(",")}`);
        await es.entities.put(type, "t2", { queue: "q1", n: 2 });
      } else if (m.type === "added") {
        seen.push(`added:${m.id}:${m.body?.n}`);
        await es.entities.put(type, "t2", { queue: "q1", n: 3 });
      } else if (m.type === "changed") {
        seen.push(`changed:${m.id}:${m.body?.n}`);
        await es.entities.put(type, "t2", { queue: "q2", n: 4 });
      } else {
        seen.push(`removed:${m.id}`);
        stop.abort();
      }
    }
    expect(seen).toEqual(["page:t1", "added:t2:2", "changed:t2:3", "removed:t2"]);
  });
});
