import { encodeBase64 } from "../../src/core/encoding";
import { type KeyRing, parseKeyRing } from "../../src/crypto/key-ring";
import { type SealContext, SealError } from "../../src/crypto/sealer";

/** Fresh random key material, base64 as it would appear in ENCRYPTION_KEYS. */
export function randomKey(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** An ENCRYPTION_KEYS secret with the given ids (fresh keys unless given) and primary. */
export function secret(primary: string, keys: Record<string, string>): string {
  return JSON.stringify({ primary, keys });
}

export const context: SealContext = { tenant: "acme", kind: "entity", name: "orders/o-1", version: 3 };

/** The ring a secret parses to; throws with the problem if it doesn't parse. */
export function ringOf(raw: string): KeyRing {
  const result = parseKeyRing(raw);
  if (!result.ok) throw new Error(result.problem);
  return result.ring;
}

/** The SealError an open (or seal) rejects with; fails the test if it resolves or throws another error. */
export async function sealErrorOf(promise: Promise<string>): Promise<SealError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SealError)) throw new Error(`expected a SealError, got ${String(error)}`);
  return error;
}
