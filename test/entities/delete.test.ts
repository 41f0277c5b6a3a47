import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { get, newEntity, put, read, remove } from "../support/entities";
import { expectProblem } from "../support/problem";

describe("DELETE /v1/entities/{type}/{id}", () => {
  it("answers 204 with no body, and the entity is gone", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await remove(e);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    await expectProblem(await get(e), 404);
  });

  it("answers 404 for an entity that never existed", async () => {
    await expectProblem(await remove(newEntity()), 404);
  });

  it("answers 404 for a second delete", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    expect((await remove(e)).status).toBe(204);
    await expectProblem(await remove(e), 404);
  });

  it("counts the delete as a version, so a re-created entity continues the numbering", async () => {
    const e = newEntity();
    await put(e, { v: 1 });
    await remove(e);
    const res = await put(e, { v: 3 });
    expect(res.status).toBe(201);
    expect(res.headers.get("ETag")).toBe('"3"');
    expect(await json(res)).toEqual({ v: 3 });
    expect(await read(e)).toEqual({ status: 200, version: 3, body: { v: 3 } });
  });
});
