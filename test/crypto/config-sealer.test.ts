// The key ring is parsed in one place, the config (src/config.ts): these are the guarantees the
// former per-module parser (crypto/from-env.ts) gave, now asserted of the one that remains.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { context, randomKey, secret } from "./rings";

describe("the config's sealer", () => {
  it("builds a working sealer from the test pool's ENCRYPTION_KEYS binding", async () => {
    const { sealer } = getConfig(env);
    expect(sealer).toBeDefined();
    const sealed = await sealer!.seal("from env", context);
    expect(await sealer!.open(sealed, context)).toBe("from env");
  });

  it("returns the same sealer for the same secret, so the isolate parses and derives once", () => {
    const raw = secret("k1", { k1: randomKey() });
    const first = getConfig({ ENCRYPTION_KEYS: raw });
    const second = getConfig({ ENCRYPTION_KEYS: `${raw}` });
    expect(first.sealer).toBeDefined();
    expect(second.sealer).toBe(first.sealer);
    expect(second.ring).toBe(first.ring);
  });

  it("builds a new sealer when the secret changes", () => {
    const first = getConfig({ ENCRYPTION_KEYS: secret("k1", { k1: randomKey() }) });
    const second = getConfig({ ENCRYPTION_KEYS: secret("k1", { k1: randomKey() }) });
    expect(first.sealer && second.sealer).toBeDefined();
    expect(second.sealer).not.toBe(first.sealer);
  });

  it("reports a missing secret as a problem, with no sealer to fall back to", () => {
    const config = getConfig({});
    expect(config.sealer).toBeUndefined();
    expect(config.ring).toBeUndefined();
    expect(config.problems).toContainEqual(expect.stringContaining("ENCRYPTION_KEYS is not set"));
  });

  it("reports a malformed secret, the same way each time", () => {
    const raw = JSON.stringify({ primary: "k9", keys: { k1: randomKey() } });
    const first = getConfig({ ENCRYPTION_KEYS: raw });
    expect(first.sealer).toBeUndefined();
    expect(first.problems.join("; ")).toContain('"primary" names key "k9"');
    expect(getConfig({ ENCRYPTION_KEYS: raw })).toBe(first);
  });
});
