import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { jsonPatch, mergePatch, newEntity, put, read } from "../support/entities";

describe("concurrent writes to one entity", () => {
  it("50 concurrent merge patches each setting its own field: all 50 applied, version 51", async () => {
    const e = newEntity();
    await put(e, {});
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => mergePatch(e, { [`f${i}`]: i })));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    // Every accepted write got its own version: 2…51, each exactly once.
    const versions = replies.map((r) => Number(r.headers.get("Edgestate-Version"))).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));

    const final = await read(e);
    expect(final.version).toBe(51);
    expect(final.body).toEqual(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i])));

    const history = await json<{ items: { version: number }[] }>(
      await api("GET", `${e.path}/history?limit=100`),
    );
    expect(history.items.map((i) => i.version)).toEqual(Array.from({ length: 51 }, (_, i) => 51 - i));
  });

  it("20 concurrent PUTs with the same If-Match: exactly one 2xx, nineteen 412", async () => {
    const e = newEntity();
    await put(e, { v: "base" });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => put(e, { writer: i }, { headers: { "If-Match": '"1"' } })),
    );
    const winners = replies.filter((r) => r.status >= 200 && r.status < 300);
    const refused = replies.filter((r) => r.status === 412);
    expect(winners).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.headers.get("ETag")).toBe('"2"');

    const winner = await json(winners[0]!);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: winner });
  });

  it("20 concurrent create-only PUTs: exactly one 201, nineteen 412", async () => {
    const e = newEntity();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => put(e, { writer: i }, { headers: { "If-None-Match": "*" } })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 412)).toHaveLength(19);
    expect((await read(e)).version).toBe(1);
  });

  it("concurrent compare-and-set increments via a JSON Patch test never lose an update", async () => {
    const e = newEntity();
    await put(e, { n: 0 });
    let done = 0;
    // Ten clients each increment once, retrying on a failed test, as a real client would.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const { body } = await read(e);
          const n = (body as { n: number }).n;
          const res = await jsonPatch(e, [
            { op: "test", path: "/n", value: n },
            { op: "replace", path: "/n", value: n + 1 },
          ]);
          if (res.status === 200) {
            done++;
            return;
          }
          expect(res.status).toBe(409);
        }
      }),
    );
    expect(done).toBe(10);
    expect((await read(e)).body).toEqual({ n: 10 });
  });
});
