import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { newType, put, remove } from "../support/entities";
import { expectProblem } from "../support/problem";

interface ListPage {
  items: { id: string; version: number; updatedAt: string }[];
  cursor: string | null;
}

// The list index is KV, written by each entity's object after its commit (at most once per
// second per key): it is eventually consistent, so these tests poll rather than sleep. A version
// change reaches it within a second only while the type is listed (list-index.test.ts shows the
// rest), so tests of versions list the type before they write.
const POLL = { timeout: 15_000, interval: 100 };

async function list(type: string, query = "", call = {}): Promise<ListPage> {
  const res = await api("GET", `/v1/entities/${type}${query}`, call);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<ListPage>(res);
}

const ids = async (type: string, query = "", call = {}) =>
  (await list(type, query, call)).items.map((i) => i.id);

describe("GET /v1/entities/{type}", () => {
  it("lists a type's entities with id, version and updatedAt", async () => {
    const type = newType();
    await list(type);
    await put(`/v1/entities/${type}/a`, { n: 1 });
    await put(`/v1/entities/${type}/b`, { n: 1 });
    await put(`/v1/entities/${type}/b`, { n: 2 });
    await expect
      .poll(() => list(type), POLL)
      .toEqual({
        items: [
          { id: "a", version: 1, updatedAt: expect.stringMatching(/Z$/) },
          { id: "b", version: 2, updatedAt: expect.stringMatching(/Z$/) },
        ],
        cursor: null,
      });
  });

  it("returns an empty list for a type with no entities", async () => {
    expect(await list(newType())).toEqual({ items: [], cursor: null });
  });

  it("does not list entities of other types", async () => {
    const type = newType();
    const other = `${type}x`;
    await put(`/v1/entities/${type}/mine`, 1);
    await put(`/v1/entities/${other}/theirs`, 1);
    await expect.poll(() => ids(other), POLL).toEqual(["theirs"]);
    await expect.poll(() => ids(type), POLL).toEqual(["mine"]);
  });

  it("filters by id prefix", async () => {
    const type = newType();
    for (const id of ["red-1", "red-2", "blue-1", "redish"]) await put(`/v1/entities/${type}/${id}`, id);
    await expect.poll(() => ids(type), POLL).toHaveLength(4);
    expect(await ids(type, "?prefix=red-")).toEqual(["red-1", "red-2"]);
    expect(await ids(type, "?prefix=red")).toEqual(["red-1", "red-2", "redish"]);
    expect(await ids(type, "?prefix=green")).toEqual([]);
  });

  it("pages with limit and cursor until the cursor is null", async () => {
    const type = newType();
    const all = ["e1", "e2", "e3", "e4", "e5"];
    for (const id of all) await put(`/v1/entities/${type}/${id}`, { id });
    await expect.poll(() => ids(type), POLL).toHaveLength(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListPage = await list(
        type,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
  });

  it("shows the newer version after a write", async () => {
    const type = newType();
    const path = `/v1/entities/${type}/x`;
    await put(path, 1);
    await expect.poll(async () => (await list(type)).items[0]?.version, POLL).toBe(1);
    await put(path, 2);
    await put(path, 3);
    await expect.poll(async () => (await list(type)).items[0]?.version, POLL).toBe(3);
  });

  it("drops deleted entities", async () => {
    const type = newType();
    await put(`/v1/entities/${type}/stay`, 1);
    await put(`/v1/entities/${type}/go`, 1);
    await expect.poll(() => ids(type), POLL).toEqual(["go", "stay"]);
    expect((await remove(`/v1/entities/${type}/go`)).status).toBe(204);
    await expect.poll(() => ids(type), POLL).toEqual(["stay"]);
  });

  it.each([["limit=0"], ["limit=1001"], ["limit=ten"], ["prefix=a%2Fb"], ["prefix=%20"]])(
    "refuses %s with 400",
    async (query) => {
      await expectProblem(await api("GET", `/v1/entities/${newType()}?${query}`), 400);
    },
  );

  it("refuses an invalid type with 400", async () => {
    const problem = await expectProblem(await api("GET", "/v1/entities/Bad-Type"), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/path/type");
  });
});
