import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { type EntityRef, get, jsonPatch, mergePatch, newEntity, put, remove } from "../support/entities";
import { expectProblem } from "../support/problem";

interface HistoryPage {
  items: { version: number; op: string; at: string; body: unknown }[];
  cursor: string | null;
}

const history = async (e: EntityRef, query = "") => {
  const res = await api("GET", `${e.path}/history${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<HistoryPage>(res);
};

/** Every kept version, following cursors. */
async function allHistory(e: EntityRef): Promise<HistoryPage["items"]> {
  const items: HistoryPage["items"] = [];
  let cursor: string | null = null;
  do {
    const page: HistoryPage = await history(e, `?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

describe("GET /v1/entities/{type}/{id}/history", () => {
  it("lists versions newest first with op put or patch, time and body", async () => {
    const e = newEntity();
    const started = Date.now();
    await put(e, { v: 1 });
    await mergePatch(e, { m: true });
    await jsonPatch(e, [{ op: "add", path: "/j", value: 1 }]);
    await put(e, "again");

    const page = await history(e);
    expect(page.cursor).toBeNull();
    expect(page.items.map(({ version, op, body }) => ({ version, op, body }))).toEqual([
      { version: 4, op: "put", body: "again" },
      { version: 3, op: "patch", body: { v: 1, m: true, j: 1 } },
      { version: 2, op: "patch", body: { v: 1, m: true } },
      { version: 1, op: "put", body: { v: 1 } },
    ]);
    for (const item of page.items) {
      expect(item.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(item.at)).toBeGreaterThanOrEqual(started - 1_000);
    }
  });

  // Issue 11 #11: a delete removes the contents of every kept version; its tombstone keeps the number.
  it("keeps only the tombstone of a deleted entity, and continues from it after a re-create", async () => {
    const e = newEntity();
    await put(e, { v: 1 });
    await mergePatch(e, { m: true });
    await remove(e);
    expect((await history(e)).items.map(({ version, op, body }) => ({ version, op, body }))).toEqual([
      { version: 3, op: "delete", body: null },
    ]);
    await put(e, "again");
    expect((await history(e)).items.map(({ version, op, body }) => ({ version, op, body }))).toEqual([
      { version: 4, op: "put", body: "again" },
      { version: 3, op: "delete", body: null },
    ]);
  });

  it("pages with limit and cursor", async () => {
    const e = newEntity();
    for (let i = 1; i <= 5; i++) await put(e, { i });
    const first = await history(e, "?limit=2");
    expect(first.items.map((i) => i.version)).toEqual([5, 4]);
    expect(first.cursor).toBe("4");
    const second = await history(e, `?limit=2&cursor=${first.cursor}`);
    expect(second.items.map((i) => i.version)).toEqual([3, 2]);
    const third = await history(e, `?limit=2&cursor=${second.cursor}`);
    expect(third.items.map((i) => i.version)).toEqual([1]);
    expect(third.cursor).toBeNull();
  });

  it("gives no cursor when a page ends exactly at the oldest version", async () => {
    const e = newEntity();
    for (let i = 1; i <= 4; i++) await put(e, { i });
    const page = await history(e, "?limit=4");
    expect(page.items).toHaveLength(4);
    expect(page.cursor).toBeNull();
  });

  it("defaults to 20 items per page", async () => {
    const e = newEntity();
    for (let i = 1; i <= 21; i++) await put(e, { i });
    const page = await history(e);
    expect(page.items).toHaveLength(20);
    expect(page.cursor).toBe("2");
  });

  it.each([["limit=0"], ["limit=101"], ["limit=x"], ["cursor=0"], ["cursor=-1"]])(
    "refuses %s with 400",
    async (query) => {
      const e = newEntity();
      await put(e, 1);
      await expectProblem(await api("GET", `${e.path}/history?${query}`), 400);
    },
  );

  it("answers 404 for an entity that never existed", async () => {
    await expectProblem(await api("GET", `${newEntity().path}/history`), 404);
  });

  it("keeps only the last HISTORY_LIMIT (100) versions", async () => {
    const e = newEntity();
    for (let i = 1; i <= 105; i++) {
      const res = await put(e, { i });
      expect(res.status).toBeLessThan(300);
    }
    const items = await allHistory(e);
    expect(items.map((i) => i.version)).toEqual(Array.from({ length: 100 }, (_, k) => 105 - k));
    expect(items.at(-1)?.body).toEqual({ i: 6 });
    // A trimmed version is gone; the oldest kept one is readable.
    await expectProblem(await get(e, {}, "?version=5"), 404);
    const oldest = await get(e, {}, "?version=6");
    expect(oldest.status).toBe(200);
    expect(await json(oldest)).toEqual({ i: 6 });
  });
});

describe("GET /v1/entities/{type}/{id}?version=N", () => {
  it("reads a kept older version with its own ETag", async () => {
    const e = newEntity();
    await put(e, { v: 1 }, {}, "?ttl=3600");
    await mergePatch(e, { w: 2 });
    await put(e, { v: 3 });
    const res = await get(e, {}, "?version=2");
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Edgestate-Version")).toBe("2");
    expect(res.headers.get("Edgestate-Cache")).toBe("bypass");
    expect(await json(res)).toEqual({ v: 1, w: 2 });
    // The current version is still the newest.
    expect((await get(e)).headers.get("ETag")).toBe('"3"');
  });

  it("reads the current version by number", async () => {
    const e = newEntity();
    await put(e, "only");
    expect(await json(await get(e, {}, "?version=1"))).toBe("only");
  });

  it("answers 404 for a version that does not exist yet", async () => {
    const e = newEntity();
    await put(e, 1);
    await expectProblem(await get(e, {}, "?version=2"), 404);
  });

  it("answers 404 for every version of a deleted entity, the one that recorded the delete included", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await remove(e);
    await expectProblem(await get(e, {}, "?version=2"), 404);
    await expectProblem(await get(e, {}, "?version=1"), 404);
  });

  it.each([["0"], ["-1"], ["one"]])("refuses version=%s with 400", async (v) => {
    const e = newEntity();
    await put(e, 1);
    await expectProblem(await get(e, {}, `?version=${v}`), 400);
  });
});

describe("history pages of large documents", () => {
  // A page crosses RPC from the EntityObject as one value (32 MiB at most), and MAX_BODY_BYTES may
  // be 1 MiB: 100 such versions would not cross. A page also stops at about 8 MiB of sealed text.
  it("answers fewer versions than asked, with a cursor; paging on lists every version once", async () => {
    const e = newEntity();
    const pad = "x".repeat(250_000);
    for (let v = 1; v <= 30; v++) expect((await put(e, { v, pad })).status).toBeLessThan(300);
    const first = await history(e, "?limit=100");
    expect(first.items.length).toBeLessThan(30);
    expect(first.cursor).toBe(String(first.items[first.items.length - 1]!.version));
    const all = await allHistory(e);
    expect(all.map((i) => i.version)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(all.every((i) => (i.body as { pad: string }).pad === pad)).toBe(true);
  }, 60_000);
});
