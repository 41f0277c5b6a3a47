// GET /v1/entities: the tenant's entity types with live documents, in the order of their keys.
import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";

interface Types {
  items: { type: string }[];
  cursor: string | null;
}

const types = async (key: string, query = "") =>
  json<Types>(await api("GET", `/v1/entities${query}`, { key }));
const names = async (key: string, query = "") => (await types(key, query)).items.map((t) => t.type);

describe("the tenant's entity types", () => {
  it("lists each type once, in key order (a-b before a), only the tenant's", async () => {
    const tenant = unique("tn");
    const key = await issueKey(tenant);
    for (const [type, id] of [
      ["user", "u1"],
      ["user", "u2"],
      ["a", "x"],
      ["a-b", "y"],
      ["order", "o1"],
    ]) {
      expect((await api("PUT", `/v1/entities/${type}/${id}`, { key, body: {} })).status).toBe(201);
    }
    await expect.poll(() => names(key)).toEqual(["a-b", "a", "order", "user"]);
    expect(await names(await issueKey(unique("tn")))).toEqual([]);
  });

  it("pages with limit and cursor", async () => {
    const key = await issueKey(unique("tn"));
    for (const type of ["alpha", "beta", "gamma"]) {
      expect((await api("PUT", `/v1/entities/${type}/one`, { key, body: {} })).status).toBe(201);
    }
    await expect.poll(() => names(key)).toEqual(["alpha", "beta", "gamma"]);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: Types = await types(key, `?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((t) => t.type));
      cursor = page.cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["alpha", "beta", "gamma"]);
  });

  it("drops a type once its last document is deleted", async () => {
    const key = await issueKey(unique("tn"));
    expect((await api("PUT", "/v1/entities/temp/t1", { key, body: {} })).status).toBe(201);
    expect((await api("PUT", "/v1/entities/kept/k1", { key, body: {} })).status).toBe(201);
    await expect.poll(() => names(key)).toEqual(["kept", "temp"]);
    expect((await api("DELETE", "/v1/entities/temp/t1", { key })).status).toBe(204);
    await expect.poll(() => names(key)).toEqual(["kept"]);
  });

  it("refuses a cursor that is not a type", async () => {
    expect((await api("GET", "/v1/entities?cursor=Not%20a%20type")).status).toBe(400);
    expect((await api("GET", "/v1/entities?limit=101")).status).toBe(400);
  });
});
