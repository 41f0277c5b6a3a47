// Malformed definitions and queries get problem documents with JSON Pointers, and change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { api, issueKey, json } from "../support/api";
import { newEntity, newType, put } from "../support/entities";
import { buildToEnd, defineIndex, delivered, page, query } from "../support/indexes";
import { expectProblem } from "../support/problem";

const listed = async (type: string) =>
  (await json<{ items: unknown[] }>(await api("GET", `/v1/indexes/${type}`))).items;

describe("malformed definitions", () => {
  it.each([
    ["no keys", { keys: [] }, "/keys"],
    ["four keys", { keys: ["/a", "/b", "/c", "/d"] }, "/keys"],
    ["keys missing", { sort: "/a" }, "/keys"],
    ["a key that is no pointer", { keys: ["customer"] }, "/keys/0"],
    ["the whole document as a key", { keys: [""] }, "/keys/0"],
    ["a bad escape", { keys: ["/a~3"] }, "/keys/0"],
    ["a key twice", { keys: ["/a", "/a"] }, "/keys/1"],
    ["a key that is not a string", { keys: [1] }, "/keys/0"],
    ["the sort among the keys", { keys: ["/a"], sort: "/a" }, "/sort"],
    ["a sort that is no pointer", { keys: ["/a"], sort: "a" }, "/sort"],
    ["an unknown field", { keys: ["/a"], distinct: true }, "/distinct"],
    ["unique that is not a boolean", { keys: ["/a"], unique: "yes" }, "/unique"],
    ["a pointer past 256 characters", { keys: [`/${"p".repeat(256)}`] }, "/keys/0"],
  ])("refuses %s with a pointer, creating nothing", async (_what, body, pointer) => {
    const type = newType("md");
    const problem = await expectProblem(await api("PUT", `/v1/indexes/${type}/i`, { body }), 400);
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
    expect(await listed(type)).toEqual([]);
  });

  it.each([
    ["a body that is not JSON", { raw: "{keys:" }, 400],
    ["a body that is an array", { body: [] }, 400],
    ["no body", {}, 400],
  ])("refuses %s", async (_what, call, status) => {
    const type = newType("mb");
    await expectProblem(await api("PUT", `/v1/indexes/${type}/i`, call), status);
    expect(await listed(type)).toEqual([]);
  });

  it.each([
    ["/v1/indexes/Upper/i", "/path/type"],
    ["/v1/indexes/t/Upper", "/path/index"],
    ["/v1/indexes/t/-dash", "/path/index"],
    [`/v1/indexes/t/${"i".repeat(65)}`, "/path/index"],
  ])("refuses a bad name in %s", async (path, pointer) => {
    const problem = await expectProblem(await api("PUT", path, { body: { keys: ["/a"] } }), 400);
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
  });
});

describe("malformed queries", () => {
  const type = newType("mq");
  const e = newEntity(type);
  beforeAll(async () => {
    await defineIndex(type, "i", { keys: ["/customer", "/status"], sort: "/at" });
    await buildToEnd(type, "i");
    await put(e, { customer: "c", status: "open", at: 1 });
    await delivered([e]);
  });
  const where = { "/customer": "c", "/status": "open" };

  it.each([
    ["a key missing from where", { where: { "/customer": "c" } }, "/where"],
    ["a key that is not the index's", { where: { ...where, "/x": 1 } }, "/where/~1x"],
    ["a non-scalar key value", { where: { ...where, "/status": ["open"] } }, "/where/~1status"],
    ["an unknown operator", { where, range: { between: [1, 2] } }, "/range/between"],
    ["a non-scalar bound", { where, range: { gt: {} } }, "/range/gt"],
    ["bounds of two kinds", { where, range: { gte: 1, lt: "z" } }, "/range/lt"],
    ["beginsWith on a number", { where, range: { beginsWith: 1 } }, "/range/beginsWith"],
    ["gt with gte", { where, range: { gt: 1, gte: 1 } }, "/range"],
    ["an empty range", { where, range: {} }, "/range"],
    ["limit 0", { where, limit: 0 }, "/limit"],
    ["limit 1001", { where, limit: 1001 }, "/limit"],
    ["a fractional limit", { where, limit: 1.5 }, "/limit"],
    ["an unknown order", { where, order: "up" }, "/order"],
    ["an unknown include", { where, include: "all" }, "/include"],
    ["a cursor this service never issued", { where, cursor: "bm90LWEtY3Vyc29y" }, "/cursor"],
    ["an unknown field", { where, filter: {} }, "/filter"],
    ["where missing", {}, "/where"],
    ["where not an object", { where: [] }, "/where"],
  ])("refuses %s", async (_what, body, pointer) => {
    const problem = await expectProblem(await query(type, "i", body as never), 400);
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
  });

  it("says beginsWith takes a string when another bound is a number, never that it must be one", async () => {
    const problem = await expectProblem(
      await query(type, "i", { where, range: { gt: 1, beginsWith: "a" } }),
      400,
    );
    const message = problem.errors?.find((e) => e.pointer === "/range/beginsWith")?.message;
    expect(message).toMatch(/string/);
    expect(message).not.toMatch(/must be a number/);
  });

  it("refuses a cursor issued for another order", async () => {
    const second = newEntity(type);
    await put(second, { customer: "c", status: "open", at: 2 });
    await delivered([second]);
    const first = await page(type, "i", { where, limit: 1 });
    expect(first.cursor).not.toBeNull();
    const problem = await expectProblem(
      await query(type, "i", { where, order: "desc", cursor: first.cursor }),
      400,
    );
    expect(problem.errors?.[0]?.pointer).toBe("/cursor");
  });

  it("answers an unknown index or type with 404", async () => {
    await expectProblem(await query(type, "nope", { where }), 404);
    await expectProblem(await query(newType("none"), "i", { where }), 404);
  });

  it("needs read to query and write to define", async () => {
    const reader = await issueKey("default", ["read"]);
    expect((await query(type, "i", { where }, { key: reader })).status).toBe(200);
    await expectProblem(await defineIndex(type, "j", { keys: ["/a"] }, { key: reader }), 403);
    await expectProblem(await api("DELETE", `/v1/indexes/${type}/i`, { key: reader }), 403);
  });
});
