import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../../src/core/encoding";
import { createSealer } from "../../src/crypto/envelope";
import { keyIdOf } from "../../src/crypto/sealed-format";
import type { SealContext } from "../../src/crypto/sealer";
import { context, randomKey, ringOf, sealErrorOf, secret } from "./rings";

const sealer = createSealer(ringOf(secret("k1", { k1: randomKey(), k2: randomKey() })));

describe("createSealer", () => {
  it("opens what it sealed", async () => {
    const plaintext = JSON.stringify({ name: "Ada", tags: ["a", "b"], n: 1 });
    const sealed = await sealer.seal(plaintext, context);
    expect(await sealer.open(sealed, context)).toBe(plaintext);
  });

  it("round-trips any well-formed text, including empty, a BOM and astral characters", async () => {
    for (const text of ["", "\uFEFFbom first", "emoji 🧪 and 𝄞", "\u0000nul", "x".repeat(300_000)]) {
      expect(await sealer.open(await sealer.seal(text, context), context)).toBe(text);
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (text) => {
        expect(await sealer.open(await sealer.seal(text, context), context)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("writes es1.<keyId>.<iv>.<ciphertext+tag> with a 96-bit IV and a 128-bit tag", async () => {
    const sealed = await sealer.seal("hello", context);
    expect(sealed).toMatch(/^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const [, , iv, data] = sealed.split(".");
    expect(decodeBase64Url(iv ?? "")?.length).toBe(12);
    expect(decodeBase64Url(data ?? "")?.length).toBe("hello".length + 16);
    expect(keyIdOf(sealed)).toBe("k1");
  });

  it("gives two seals of the same plaintext different IVs and ciphertexts", async () => {
    const seals = await Promise.all(Array.from({ length: 50 }, () => sealer.seal("same", context)));
    expect(new Set(seals).size).toBe(50);
    expect(new Set(seals.map((s) => s.split(".")[2])).size).toBe(50);
  });

  it("never shows the plaintext marker in the sealed output", async () => {
    const marker = "MARKER-7f3a-do-not-leak";
    const document = JSON.stringify({ secret: marker, again: marker.repeat(20) });
    const sealed = await sealer.seal(document, context);
    expect(sealed).not.toContain(marker);
    expect(sealed).not.toContain("MARKER");
    // Nor in any encoding a reader of raw storage might try.
    expect(sealed).not.toContain(encodeBase64Url(new TextEncoder().encode(marker)).slice(0, 12));
    expect(sealed).not.toContain(btoa(marker).slice(0, 12));
  });

  it("refuses a value with any single byte of its IV, ciphertext or tag flipped", async () => {
    const sealed = await sealer.seal("flip me", context);
    const [prefix, keyId, ivText, dataText] = sealed.split(".");
    const iv = decodeBase64Url(ivText ?? "")!;
    const data = decodeBase64Url(dataText ?? "")!;
    for (const [target, which] of [
      [iv, "iv"],
      [data, "data"],
    ] as const) {
      for (let i = 0; i < target.length; i++) {
        for (const mask of [0x01, 0x80]) {
          const altered = target.slice();
          altered[i] = (altered[i] ?? 0) ^ mask;
          const nextIv = which === "iv" ? altered : iv;
          const nextData = which === "data" ? altered : data;
          const forged = `${prefix}.${keyId}.${encodeBase64Url(nextIv)}.${encodeBase64Url(nextData)}`;
          const error = await sealErrorOf(sealer.open(forged, context));
          expect(error.reason).toBe("undecryptable");
        }
      }
    }
  });

  it("refuses a value with any character changed, never returning text", async () => {
    const sealed = await sealer.seal("change one character", context);
    for (let i = 0; i < sealed.length; i++) {
      const replacement = sealed[i] === "A" ? "B" : "A";
      const forged = sealed.slice(0, i) + replacement + sealed.slice(i + 1);
      const error = await sealErrorOf(sealer.open(forged, context));
      // Changing the key id to another id is key_unavailable; anything else fails to decrypt.
      expect(["undecryptable", "key_unavailable"]).toContain(error.reason);
    }
  });

  it("refuses a value truncated or extended", async () => {
    const sealed = await sealer.seal("length matters", context);
    for (const forged of [sealed.slice(0, -1), sealed.slice(0, -4), `${sealed}A`, `${sealed}AAAA`]) {
      expect((await sealErrorOf(sealer.open(forged, context))).reason).toBe("undecryptable");
    }
  });

  describe("binds the ciphertext to its place", () => {
    const elsewhere: [string, SealContext][] = [
      ["another tenant", { ...context, tenant: "globex" }],
      ["another kind", { ...context, kind: "entity-history" }],
      ["another name", { ...context, name: "orders/o-2" }],
      ["another version", { ...context, version: 4 }],
      ["the version as a string", { ...context, version: "3" }],
      ["a tenant/kind boundary moved", { ...context, tenant: "acme\u0000entity", kind: "" }],
      ["a name/version boundary moved", { ...context, name: "orders/o-1,3", version: "" }],
    ];
    it.each(elsewhere)("refuses to open it with %s", async (_, other) => {
      const sealed = await sealer.seal("placed", context);
      const error = await sealErrorOf(sealer.open(sealed, other));
      expect(error.reason).toBe("undecryptable");
      expect(error.keyId).toBe("k1");
    });

    it("refuses a context whose strings differ only by JSON-sensitive characters", async () => {
      const a: SealContext = { tenant: 't"', kind: "k", name: "n", version: 1 };
      const b: SealContext = { tenant: "t", kind: '"k', name: "n", version: 1 };
      const sealed = await sealer.seal("x", a);
      expect((await sealErrorOf(sealer.open(sealed, b))).reason).toBe("undecryptable");
    });
  });

  it("refuses a value sealed under another ring with the same key id", async () => {
    const other = createSealer(ringOf(secret("k1", { k1: randomKey() })));
    const sealed = await other.seal("foreign", context);
    expect((await sealErrorOf(sealer.open(sealed, context))).reason).toBe("undecryptable");
  });

  it.each([
    ["an empty string", ""],
    ["plaintext JSON", '{"a":1}'],
    ["another scheme", "es2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["too few parts", "es1.k1.AAAAAAAAAAAAAAAA"],
    ["too many parts", "es1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA"],
    ["a bad key id", "es1.k/1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a short IV", "es1.k1.AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["no room for a tag", "es1.k1.AAAAAAAAAAAAAAAA.AAAA"],
    ["padded base64url", "es1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA=="],
    ["the standard alphabet", "es1.k1.AAAAAAAAAAAAAA+/.AAAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses %s as malformed, without quoting it", async (_, value) => {
    const error = await sealErrorOf(sealer.open(value, context));
    expect(error.reason).toBe("undecryptable");
    expect(error.message).toContain("not a well-formed es1 sealed value");
    if (value !== "") expect(error.message).not.toContain(value);
  });

  it("refuses to seal text with a lone surrogate rather than altering it", async () => {
    await expect(sealer.seal("bad \uD800 text", context)).rejects.toThrow(RangeError);
  });

  it("refuses a non-finite version, which would collide with other non-finite versions", async () => {
    await expect(sealer.seal("x", { ...context, version: Number.NaN })).rejects.toThrow(RangeError);
  });

  it("has error messages that never contain the plaintext", async () => {
    const sealed = await sealer.seal("secret-plaintext", context);
    const error = await sealErrorOf(sealer.open(sealed, { ...context, version: 9 }));
    expect(error.message).not.toContain("secret-plaintext");
    expect(error.name).toBe("SealError");
  });
});
