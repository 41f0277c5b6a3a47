// The one way an object seals and opens what it stores. Every object answers "keys unavailable"
// the same way (a 503 Result naming the configuration problem), and a value that cannot be opened
// becomes a Result with the SealError's code, never a thrown error (only a message would cross RPC).
import { getConfig } from "../../config";
import { fail, ok, type Result } from "../../core/result";
import type { EnvelopeSealer } from "../../crypto/envelope";
import { type SealContext, SealError } from "../../crypto/sealer";

/** Where an object's values live: the sealing context minus what tells two values apart. */
export type Place = (kind: string, version: number | string) => SealContext;

export const placeOf =
  (tenant: string, name: string): Place =>
  (kind, version) => ({ tenant, kind, name, version });

export class SealedValues {
  constructor(private readonly env: Env) {}

  /** The deployment's sealer, or the one failure every caller returns when keys are unavailable. */
  sealer(): Result<EnvelopeSealer> {
    const config = getConfig(this.env);
    return config.sealer ? ok(config.sealer) : fail("unavailable", config.problems.join("; "));
  }

  /** The deployment's sealer as an identity: another key ring is another object (config.ts). */
  ring(): unknown {
    return getConfig(this.env).sealer;
  }

  /** Seals under the ring's primary. Callers check `sealer()` first, so a missing ring is a bug here. */
  async seal(plaintext: string, context: SealContext): Promise<string> {
    const sealer = this.sealer();
    if (!sealer.ok) throw new Error(sealer.detail);
    return sealer.value.seal(plaintext, context);
  }

  async open(sealed: string, context: SealContext): Promise<Result<string>> {
    const sealer = this.sealer();
    if (!sealer.ok) return sealer;
    try {
      return ok(await sealer.value.open(sealed, context));
    } catch (e) {
      if (e instanceof SealError) return fail(e.reason, e.message);
      throw e;
    }
  }

  /** The value re-sealed under the primary, or null when it already is. */
  async reseal(sealed: string, context: SealContext): Promise<Result<string | null>> {
    const sealer = this.sealer();
    if (!sealer.ok) return sealer;
    if (!sealer.value.needsReencryption(sealed)) return ok(null);
    const plain = await this.open(sealed, context);
    return plain.ok ? ok(await sealer.value.seal(plain.value, context)) : plain;
  }
}
