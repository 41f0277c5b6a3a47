import { createSealer, type EnvelopeSealer } from "./envelope";
import { parseKeyRing } from "./key-ring";

export type SealerFromEnv = { ok: true; sealer: EnvelopeSealer } | { ok: false; problem: string };

// One sealer per isolate: parsing the secret and deriving tenant keys should happen once, not per
// request. Memoised on the raw secret string, so a changed secret (a new deployment, or a test that
// passes another ring) is parsed afresh, and a bad secret is reported the same way every time.
let memo: { raw: string | undefined; result: SealerFromEnv } | undefined;

/**
 * The isolate's sealer, or the problem with ENCRYPTION_KEYS. Callers answer 503 with the problem;
 * there is deliberately no plaintext fallback.
 */
export function sealerFromEnv(env: { ENCRYPTION_KEYS?: string }): SealerFromEnv {
  const raw = env.ENCRYPTION_KEYS;
  if (memo !== undefined && memo.raw === raw) return memo.result;
  const parsed = parseKeyRing(raw);
  const result: SealerFromEnv = parsed.ok
    ? { ok: true, sealer: createSealer(parsed.ring) }
    : { ok: false, problem: parsed.problem };
  memo = { raw, result };
  return result;
}
