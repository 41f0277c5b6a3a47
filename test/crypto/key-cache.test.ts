import { afterEach, describe, expect, it, vi } from "vitest";
import { createSealer } from "../../src/crypto/envelope";
import { TenantKeys } from "../../src/crypto/tenant-keys";
import { context, randomKey, ringOf, secret } from "./rings";

afterEach(() => {
  vi.restoreAllMocks();
});

const ring = ringOf(secret("k2", { k1: randomKey(), k2: randomKey() }));

describe("derived key cache", () => {
  it("derives a tenant's key once, however many seals and opens follow", async () => {
    const derive = vi.spyOn(crypto.subtle, "deriveKey");
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const sealer = createSealer(ring);
    for (let i = 0; i < 100; i++) {
      const sealed = await sealer.seal(`doc ${i}`, { ...context, version: i });
      expect(await sealer.open(sealed, { ...context, version: i })).toBe(`doc ${i}`);
    }
    expect(derive).toHaveBeenCalledTimes(1);
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it("derives once per (key id, tenant) pair", async () => {
    const derive = vi.spyOn(crypto.subtle, "deriveKey");
    const writer = createSealer({ primary: "k1", keys: ring.keys });
    const reader = createSealer(ring);
    const tenants = ["a", "b", "c"];
    const sealed = await Promise.all(tenants.map((tenant) => writer.seal("x", { ...context, tenant })));
    await Promise.all(tenants.map((tenant) => reader.seal("y", { ...context, tenant })));
    derive.mockClear();
    for (let round = 0; round < 3; round++) {
      for (const [i, tenant] of tenants.entries()) {
        await reader.open(sealed[i] ?? "", { ...context, tenant }); // k1 keys: derived on first round
        await reader.seal("z", { ...context, tenant }); // k2 keys: already cached
      }
    }
    expect(derive).toHaveBeenCalledTimes(3);
  });

  it("derives once when many first requests for a tenant arrive together", async () => {
    const derive = vi.spyOn(crypto.subtle, "deriveKey");
    const sealer = createSealer(ring);
    await Promise.all(Array.from({ length: 50 }, () => sealer.seal("burst", { ...context, tenant: "new" })));
    expect(derive).toHaveBeenCalledTimes(1);
  });

  it("keeps at most maxCachedKeys, dropping the least recently used", async () => {
    const keys = new TenantKeys(ring, { maxCachedKeys: 2 });
    const derive = vi.spyOn(crypto.subtle, "deriveKey");
    await keys.forTenant("k2", "a");
    await keys.forTenant("k2", "b");
    await keys.forTenant("k2", "a"); // a is now the most recent
    await keys.forTenant("k2", "c"); // evicts b
    expect(keys.cachedCount).toBe(2);
    expect(derive).toHaveBeenCalledTimes(3);
    await keys.forTenant("k2", "a");
    expect(derive).toHaveBeenCalledTimes(3);
    await keys.forTenant("k2", "b");
    expect(derive).toHaveBeenCalledTimes(4);
  });

  it("does not cache a failed derivation", async () => {
    const keys = new TenantKeys(ring);
    vi.spyOn(crypto.subtle, "deriveKey").mockRejectedValueOnce(new Error("transient"));
    await expect(keys.forTenant("k2", "t")).rejects.toThrow("transient");
    await Promise.resolve();
    expect(keys.cachedCount).toBe(0);
    await expect(keys.forTenant("k2", "t")).resolves.toBeDefined();
    expect(keys.cachedCount).toBe(1);
  });

  it("gives each tenant its own key: one tenant's ciphertext is refused under another's", async () => {
    const sealer = createSealer(ring);
    const sealed = await sealer.seal("mine", { ...context, tenant: "a" });
    await expect(sealer.open(sealed, { ...context, tenant: "b" })).rejects.toMatchObject({
      reason: "undecryptable",
    });
  });
});
