import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchWith, ringSecret } from "../security/support";
import { json } from "../support/api";
import { cacheOf, copyKeyOf, get, kvCopy, newEntity, put, warmAndHit } from "../support/entities";
import { flipOneByte } from "../support/tamper";

// The Worker remembers the KV copies it opened (src/cache/opened-copies.ts), so a repeated
// eventual read decrypts nothing. These tests change KV or the key ring behind that memory and
// check it never answers for a copy it did not open.
const POLL = { timeout: 15_000, interval: 100 };
const eventual = "?consistency=eventual";

describe("opened KV copies kept in the Worker's memory", () => {
  it("serve a repeated hit with the copy's own document and version", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmAndHit(e);
    for (let i = 0; i < 3; i++) {
      const hit = await get(e, {}, eventual);
      expect(cacheOf(hit)).toBe("hit");
      expect(hit.headers.get("ETag")).toBe('"1"');
      expect(await json(hit)).toEqual({ a: 1 });
    }
  });

  it("are not served when KV pairs the remembered text with another version", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmAndHit(e);
    const copy = (await kvCopy(e))!;
    // The same sealed text, now claiming version 2: it was sealed for version 1, so it must not open
    // as version 2, from memory or otherwise. The read goes to the object, which holds version 1.
    await env.CACHE.put(copyKeyOf(e), copy.value, { metadata: { ...copy.meta, v: 2 } });
    const res = await get(e, {}, eventual);
    expect(cacheOf(res)).toBe("miss");
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(await json(res)).toEqual({ a: 1 });
  });

  it("are not served for a copy tampered with in KV after they were kept", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmAndHit(e);
    const copy = (await kvCopy(e))!;
    await env.CACHE.put(copyKeyOf(e), flipOneByte(copy.value), { metadata: copy.meta });
    const res = await get(e, {}, eventual);
    expect(cacheOf(res)).toBe("miss");
    expect(await json(res)).toEqual({ a: 1 });
  });

  it("follow the copy when a write replaces it", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmAndHit(e);
    await put(e, { a: 2 });
    await expect.poll(async () => (await kvCopy(e))?.meta.v, POLL).toBe(2);
    const hit = await get(e, {}, eventual);
    expect(cacheOf(hit)).toBe("hit");
    expect(hit.headers.get("ETag")).toBe('"2"');
    expect(await json(hit)).toEqual({ a: 2 });
  });

  it("are not served under a key ring without the copy's key: the read goes to the object", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmAndHit(e);
    expect((await kvCopy(e))!.value.split(".")[1]).toBe("k1");
    // A redeploy of the Worker alone without k1: the copy no longer opens, so it is a miss, and the
    // object (whose keys did not change here) answers.
    const res = await fetchWith(
      { ENCRYPTION_KEYS: ringSecret("k2", ["k2"]) },
      "GET",
      `${e.path}${eventual}`,
      {
        tenant: e.tenant,
      },
    );
    expect(res.status).toBe(200);
    expect(cacheOf(res)).toBe("miss");
    expect(await json(res)).toEqual({ a: 1 });
  });
});
