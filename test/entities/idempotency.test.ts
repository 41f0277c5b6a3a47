import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, issueKey, json } from "../support/api";
import { entityObject, jsonPatch, mergePatch, newEntity, put, read, remove } from "../support/entities";
import { expectProblem } from "../support/problem";
import { behindItsBack } from "../support/tamper";

const withKey = (key: string, headers: Record<string, string> = {}) => ({
  headers: { "Idempotency-Key": key, ...headers },
});
const REPLAYED = "Idempotent-Replayed";

/** Everything a client can compare between the first reply and its replay. */
async function snapshot(res: Response) {
  return {
    status: res.status,
    body: await res.text(),
    etag: res.headers.get("ETag"),
    version: res.headers.get("Edgestate-Version"),
    lastModified: res.headers.get("Last-Modified"),
    location: res.headers.get("Location"),
    contentType: res.headers.get("Content-Type"),
  };
}

describe("Idempotency-Key", () => {
  it("replays a PUT's reply byte-for-byte with Idempotent-Replayed: true and changes nothing", async () => {
    const e = newEntity();
    const first = await put(e, { a: 1 }, withKey("put-1"));
    expect(first.status).toBe(201);
    expect(first.headers.has(REPLAYED)).toBe(false);
    const original = await snapshot(first);

    const again = await put(e, { a: 1 }, withKey("put-1"));
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(original);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: 1 } });
  });

  it("replays the first reply even after the entity has moved on", async () => {
    const e = newEntity();
    const original = await snapshot(await put(e, { a: 1 }, withKey("k")));
    await put(e, { a: 2 });
    const again = await put(e, { a: 1 }, withKey("k"));
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(original);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: { a: 2 } });
  });

  it("never applies a merge patch twice", async () => {
    const e = newEntity();
    await put(e, { list: [] });
    const first = await snapshot(
      await jsonPatch(e, [{ op: "add", path: "/list/-", value: "x" }], withKey("p")),
    );
    for (let i = 0; i < 3; i++) {
      const again = await jsonPatch(e, [{ op: "add", path: "/list/-", value: "x" }], withKey("p"));
      expect(again.headers.get(REPLAYED)).toBe("true");
      expect(await snapshot(again)).toEqual(first);
    }
    expect(await read(e)).toEqual({ status: 200, version: 2, body: { list: ["x"] } });
  });

  it("replays a merge patch", async () => {
    const e = newEntity();
    await put(e, { n: 0 });
    const first = await snapshot(await mergePatch(e, { n: 1 }, withKey("m")));
    await mergePatch(e, { n: 5 });
    expect(await snapshot(await mergePatch(e, { n: 1 }, withKey("m")))).toEqual(first);
    expect((await read(e)).body).toEqual({ n: 5 });
  });

  it("replays a DELETE's 204 instead of answering 404", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const first = await remove(e, withKey("d"));
    expect(first.status).toBe(204);
    const again = await remove(e, withKey("d"));
    expect(again.status).toBe(204);
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await again.text()).toBe("");
    expect((await read(e)).status).toBe(404);
  });

  it("replays a 412 identically, including the problem's instance", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const first = await put(e, { a: 2 }, withKey("stale", { "If-Match": '"9"' }));
    const firstProblem = await expectProblem(first.clone(), 412);
    const original = await snapshot(first);

    await put(e, { a: 3 }); // the entity changes: a fresh request would now see version 2
    const again = await put(e, { a: 2 }, withKey("stale", { "If-Match": '"9"' }));
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(again.headers.get("Request-Id")).not.toBe(firstProblem.instance);
    expect(await snapshot(again)).toEqual(original);
    expect(JSON.parse(original.body).instance).toBe(firstProblem.instance);
    expect(original.etag).toBe('"1"');
  });

  it("replays a 404 from the object even after the entity was created", async () => {
    const e = newEntity();
    const first = await snapshot(await mergePatch(e, { a: 1 }, withKey("early")));
    expect(first.status).toBe(404);
    await put(e, { a: 0 });
    const again = await mergePatch(e, { a: 1 }, withKey("early"));
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(first);
    expect((await read(e)).body).toEqual({ a: 0 });
  });

  it("refuses the same key with a different body with 422 and changes nothing", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, withKey("same"));
    const problem = await expectProblem(await put(e, { a: 2 }, withKey("same")), 422);
    expect(problem.title).toBe("Idempotency Key Reused");
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: 1 } });
  });

  it("refuses the same key with a different query or method with 422", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, withKey("q"));
    await expectProblem(await put(e, { a: 1 }, withKey("q"), "?ttl=60"), 422);
    await expectProblem(await mergePatch(e, { a: 1 }, withKey("q")), 422);
    await expectProblem(await remove(e, withKey("q")), 422);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: 1 } });
  });

  it("treats the same query spelt another way as the same request", async () => {
    const e = newEntity();
    await put(e, 1);
    const first = await snapshot(await mergePatch(e, { a: 1 }, withKey("order"), "?ttl=60"));
    const again = await mergePatch(e, { a: 1 }, withKey("order"), "?t%74l=60");
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(first);
  });

  it("scopes keys to one entity: the same key on another entity is independent", async () => {
    const a = newEntity();
    const b = newEntity();
    expect((await put(a, { x: 1 }, withKey("shared"))).status).toBe(201);
    const other = await put(b, { x: 2 }, withKey("shared"));
    expect(other.status).toBe(201);
    expect(other.headers.has(REPLAYED)).toBe(false);
    expect((await read(b)).body).toEqual({ x: 2 });
  });

  it("applies concurrent retries of one request exactly once", async () => {
    const e = newEntity();
    await put(e, { n: 0 });
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        jsonPatch(e, [{ op: "add", path: "/hits/-", value: 1 }], withKey("burst")),
      ),
    );
    // The first to arrive fails (no /hits array yet) and that reply is what every retry gets.
    const snaps = await Promise.all(replies.map(snapshot));
    expect(new Set(snaps.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(replies.filter((r) => r.headers.get(REPLAYED) === "true")).toHaveLength(9);
    expect((await read(e)).version).toBe(1);

    const f = newEntity();
    const puts = await Promise.all(
      Array.from({ length: 10 }, () => put(f, { once: true }, withKey("burst"))),
    );
    expect(puts.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(puts.filter((r) => r.headers.get(REPLAYED) === "true")).toHaveLength(9);
    expect((await read(f)).version).toBe(1);
  });

  it("replays after the object restarts: the record is stored with the change", async () => {
    const e = newEntity();
    const first = await snapshot(await put(e, { a: 1 }, withKey("durable")));
    await evictDurableObject(entityObject(e));
    const again = await put(e, { a: 1 }, withKey("durable"));
    expect(again.headers.get(REPLAYED)).toBe("true");
    expect(await snapshot(again)).toEqual(first);
    expect((await read(e)).version).toBe(1);
  });

  it("forgets a key after 24 hours: the object's alarm prunes it", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, withKey("old"));
    const stub = entityObject(e);
    // Test setup, not a mock: age the stored record past its 24 h retention.
    await behindItsBack(stub, (state) => {
      state.storage.sql.exec("UPDATE idempotency SET created_at = created_at - ?", 25 * 60 * 60 * 1000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const count = await runInDurableObject(
      stub,
      (_, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n,
    );
    expect(count).toBe(0);
    const res = await put(e, { a: 1 }, withKey("old"));
    expect(res.status).toBe(200);
    expect(res.headers.has(REPLAYED)).toBe(false);
    expect((await read(e)).version).toBe(2);
  });

  describe("requests refused before they reach the object are not stored", () => {
    it("a 415 does not take the key", async () => {
      const e = newEntity();
      await put(e, { a: 1 });
      await expectProblem(
        await api("PATCH", e.path, { raw: '{"b":2}', contentType: "text/plain", ...withKey("K") }),
        415,
      );
      const res = await mergePatch(e, { b: 2 }, withKey("K"));
      expect(res.status).toBe(200);
      expect(res.headers.has(REPLAYED)).toBe(false);
      expect(await json(res)).toEqual({ a: 1, b: 2 });
    });

    it("a 400 (invalid JSON) does not take the key", async () => {
      const e = newEntity();
      await expectProblem(await api("PUT", e.path, { raw: "{oops", ...withKey("K") }), 400);
      const res = await put(e, { ok: true }, withKey("K"));
      expect(res.status).toBe(201);
      expect(res.headers.has(REPLAYED)).toBe(false);
    });

    it("a 400 (bad precondition header) does not take the key", async () => {
      const e = newEntity();
      await expectProblem(await put(e, 1, withKey("K", { "If-Match": "nope" })), 400);
      expect((await put(e, 1, withKey("K"))).status).toBe(201);
    });

    it("a 413 does not take the key", async () => {
      const e = newEntity();
      await expectProblem(await put(e, "x".repeat(300_000), withKey("K")), 413);
      expect((await put(e, "small", withKey("K"))).status).toBe(201);
    });

    it("a 401 does not take the key", async () => {
      const e = newEntity();
      await expectProblem(await put(e, 1, { key: null, ...withKey("K") }), 401);
      const res = await put(e, 1, withKey("K"));
      expect(res.status).toBe(201);
      expect(res.headers.has(REPLAYED)).toBe(false);
    });

    it("a 403 does not take the key", async () => {
      const e = newEntity();
      const readOnly = await issueKey("default", ["read"]);
      await expectProblem(await put(e, 1, { key: readOnly, ...withKey("K") }), 403);
      const res = await put(e, 1, withKey("K"));
      expect(res.status).toBe(201);
      expect(res.headers.has(REPLAYED)).toBe(false);
    });
  });

  describe("key syntax", () => {
    it("accepts a key of 255 printable ASCII characters", async () => {
      const e = newEntity();
      const key = `${"~ !".repeat(85)}`;
      expect(key).toHaveLength(255);
      expect((await put(e, 1, withKey(key))).status).toBe(201);
      expect((await put(e, 1, withKey(key))).headers.get(REPLAYED)).toBe("true");
    });

    it.each([
      ["longer than 255 characters", "k".repeat(256)],
      ["not ASCII", "schlüssel"],
      ["empty", ""],
    ])("refuses a key %s with 400", async (_, key) => {
      const e = newEntity();
      const problem = await expectProblem(await put(e, 1, withKey(key)), 400);
      expect(problem.errors?.[0]?.pointer).toBe("/headers/idempotency-key");
      expect((await read(e)).status).toBe(404);
    });

    it("refuses a bad key on PATCH and DELETE too", async () => {
      const e = newEntity();
      await put(e, 1);
      await expectProblem(await mergePatch(e, { a: 1 }, withKey("k".repeat(256))), 400);
      await expectProblem(await remove(e, withKey("k".repeat(256))), 400);
      expect((await read(e)).version).toBe(1);
    });
  });
});

describe("what makes two requests the same under one Idempotency-Key", () => {
  it("preconditions: a retry with another If-Match or without If-None-Match is another request (422)", async () => {
    const e = newEntity("ip");
    expect((await put(e, { v: 1 })).status).toBe(201);
    const refused = await put(e, { v: 2 }, withKey("k-ip", { "If-None-Match": "*" }));
    expect(refused.status).toBe(412);
    // the same request again replays the 412
    const again = await put(e, { v: 2 }, withKey("k-ip", { "If-None-Match": "*" }));
    expect([again.status, again.headers.get(REPLAYED)]).toEqual([412, "true"]);
    await expectProblem(await put(e, { v: 2 }, withKey("k-ip")), 422);
    await expectProblem(await put(e, { v: 2 }, withKey("k-ip", { "If-Match": '"1"' })), 422);
    expect(await read(e)).toMatchObject({ body: { v: 1 } });
    // with a key of its own, the corrected request applies once
    const applied = await put(e, { v: 2 }, withKey("k-ip-2", { "If-Match": '"1"' }));
    expect(applied.status).toBe(200);
    const replay = await put(e, { v: 2 }, withKey("k-ip-2", { "If-Match": '"1"' }));
    expect([replay.status, replay.headers.get(REPLAYED)]).toEqual([200, "true"]);
  });

  it("the path: an id with an escaped character is the same entity, so the same request", async () => {
    const e = newEntity();
    const first = await api("PUT", e.path, { body: { a: 1 }, headers: { "Idempotency-Key": "k-esc" } });
    expect(first.status).toBe(201);
    const escaped = e.path.replace("/e-", "/e%2D");
    const retry = await api("PUT", escaped, { body: { a: 1 }, headers: { "Idempotency-Key": "k-esc" } });
    expect([retry.status, retry.headers.get(REPLAYED)]).toEqual([201, "true"]);
  });
});
