import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sealerFromEnv } from "../../src/crypto/from-env";
import { context, randomKey, secret } from "./rings";

describe("sealerFromEnv", () => {
  it("builds a working sealer from the test pool's ENCRYPTION_KEYS binding", async () => {
    const result = sealerFromEnv(env);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sealed = await result.sealer.seal("from env", context);
    expect(await result.sealer.open(sealed, context)).toBe("from env");
  });

  it("returns the same sealer for the same secret, so the isolate parses and derives once", () => {
    const raw = secret("k1", { k1: randomKey() });
    const first = sealerFromEnv({ ENCRYPTION_KEYS: raw });
    const second = sealerFromEnv({ ENCRYPTION_KEYS: `${raw}` });
    expect(first.ok).toBe(true);
    expect(second).toBe(first);
  });

  it("builds a new sealer when the secret changes", () => {
    const first = sealerFromEnv({ ENCRYPTION_KEYS: secret("k1", { k1: randomKey() }) });
    const second = sealerFromEnv({ ENCRYPTION_KEYS: secret("k1", { k1: randomKey() }) });
    expect(first.ok && second.ok).toBe(true);
    expect(second).not.toBe(first);
  });

  it("reports a missing secret as a problem, with no sealer to fall back to", () => {
    const result = sealerFromEnv({});
    expect(result).toEqual({ ok: false, problem: expect.stringContaining("ENCRYPTION_KEYS is not set") });
  });

  it("reports a malformed secret, the same way each time", () => {
    const raw = JSON.stringify({ primary: "k9", keys: { k1: randomKey() } });
    const first = sealerFromEnv({ ENCRYPTION_KEYS: raw });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.problem).toContain('"primary" names key "k9"');
    expect(sealerFromEnv({ ENCRYPTION_KEYS: raw })).toBe(first);
  });
});
