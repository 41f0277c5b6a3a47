import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { entityObject, get, mergePatch, newEntity, put, read, remove } from "../support/entities";
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

  // Issue 11 #11: a user who deletes a document expects its contents gone.
  it("removes the contents of every kept version from storage, keeping only a tombstone", async () => {
    const e = newEntity();
    await put(e, { secret: "s-1" });
    await mergePatch(e, { secret: "s-2" });
    expect((await remove(e)).status).toBe(204);
    const rows = await runInDurableObject(entityObject(e), (_, state) =>
      state.storage.sql
        .exec<{ version: number; op: string; body: string | null }>("SELECT version, op, body FROM versions")
        .toArray(),
    );
    expect(rows).toEqual([{ version: 3, op: "delete", body: null }]);
  });

  it("withdraws idempotent replies that showed the document: a retry is refused, never applied again", async () => {
    const e = newEntity();
    const key = { headers: { "Idempotency-Key": "put-before-delete" } };
    expect((await put(e, { a: 1 }, key)).status).toBe(201);
    expect((await remove(e)).status).toBe(204);
    const retry = await expectProblem(await put(e, { a: 1 }, key), 404);
    expect(retry.detail).toContain("deleted");
    expect((await read(e)).status).toBe(404);
    await expectProblem(await put(e, { a: 2 }, key), 422);
    // A reply that showed no document (the delete's 204) still replays.
    const deleteKey = { headers: { "Idempotency-Key": "the-delete" } };
    await put(e, { b: 1 });
    expect((await remove(e, deleteKey)).status).toBe(204);
    const again = await remove(e, deleteKey);
    expect(again.status).toBe(204);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
