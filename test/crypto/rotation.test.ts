import { describe, expect, it } from "vitest";
import { createSealer } from "../../src/crypto/envelope";
import { keyIdOf, needsReencryption } from "../../src/crypto/sealed-format";
import { context, randomKey, ringOf, sealErrorOf, secret } from "./rings";

const k1 = randomKey();
const k2 = randomKey();
const before = ringOf(secret("k1", { k1 }));
const during = ringOf(secret("k2", { k1, k2 }));
const after = ringOf(secret("k2", { k2 }));

describe("key rotation", () => {
  it("opens a value sealed under k1 after k2 becomes primary", async () => {
    const old = await createSealer(before).seal("written before rotation", context);
    expect(await createSealer(during).open(old, context)).toBe("written before rotation");
  });

  it("seals new values under the primary", async () => {
    const sealer = createSealer(during);
    expect(sealer.primaryKeyId).toBe("k2");
    const sealed = await sealer.seal("new", context);
    expect(keyIdOf(sealed)).toBe("k2");
    expect(sealed.startsWith("es1.k2.")).toBe(true);
  });

  it("flags values under a non-primary key for re-encryption, and re-sealing clears the flag", async () => {
    const old = await createSealer(before).seal("doc", context);
    const sealer = createSealer(during);
    expect(needsReencryption(old, during)).toBe(true);
    expect(sealer.needsReencryption(old)).toBe(true);
    expect(needsReencryption(old, before)).toBe(false);

    const resealed = await sealer.seal(await sealer.open(old, context), context);
    expect(needsReencryption(resealed, during)).toBe(false);
    expect(sealer.needsReencryption(resealed)).toBe(false);
    expect(await createSealer(after).open(resealed, context)).toBe("doc");
  });

  it("flags a value that is not sealed at all, so a re-encryption pass cannot skip it", () => {
    expect(needsReencryption('{"plain":true}', during)).toBe(true);
    expect(keyIdOf('{"plain":true}')).toBeUndefined();
  });

  it("refuses a value whose key left the ring with key_unavailable, naming the key id", async () => {
    const old = await createSealer(before).seal("orphaned", context);
    const error = await sealErrorOf(createSealer(after).open(old, context));
    expect(error.reason).toBe("key_unavailable");
    expect(error.keyId).toBe("k1");
    expect(error.message).toContain('"k1"');
    expect(error.message).toContain("not in ENCRYPTION_KEYS");
  });

  it("keeps a value readable when only its key id is relabelled to the same material", async () => {
    // Key ids are labels: the associated data leaves them out, so an operator's rename (same
    // material, new id) does not strand data — provided the stored prefix is rewritten too.
    const old = await createSealer(ringOf(secret("old", { old: k1 }))).seal("label", context);
    const relabelled = old.replace(/^es1\.old\./, "es1.new.");
    expect(await createSealer(ringOf(secret("new", { new: k1 }))).open(relabelled, context)).toBe("label");
  });

  it("derives different tenant keys from different ring keys (k1 and k2 ciphertexts don't cross)", async () => {
    const underK1 = await createSealer(before).seal("x", context);
    const forged = underK1.replace(/^es1\.k1\./, "es1.k2.");
    expect((await sealErrorOf(createSealer(during).open(forged, context))).reason).toBe("undecryptable");
  });
});

describe("keyIdOf", () => {
  it.each([
    ["es1.k1.iv.data", "k1"],
    ["es1.key_2026-11.iv.data", "key_2026-11"],
    ["es1.k1.iv.data.more", undefined],
    ["es1.k1.iv", undefined],
    ["es1..iv.data", undefined],
    ["es1.k/1.iv.data", undefined],
    ["es2.k1.iv.data", undefined],
    ["ES1.k1.iv.data", undefined],
    ['{"a":1}', undefined],
    ["", undefined],
  ])("reads %j as %j", (value, expected) => {
    expect(keyIdOf(value)).toBe(expected);
  });
});
