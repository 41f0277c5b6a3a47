// The contract every stored payload goes through (issue #3: encryption at rest).
// A sealed value is a string that names its key id; the associated data binds it to its place,
// so a ciphertext copied to another tenant, kind, name or version fails to open.

export interface SealContext {
  tenant: string;
  /** What the payload is: "entity", "entity-history", "idempotency", "kv-entity", "session", "execution", … */
  kind: string;
  /** Where it lives: the entity's type/id, the session id, the execution name, … */
  name: string;
  /**
   * The version it belongs to, or another discriminator such as an idempotency key. The type is
   * part of the binding: a value sealed with version 3 does not open with version "3".
   */
  version: number | string;
}

export interface Sealer {
  seal(plaintext: string, context: SealContext): Promise<string>;
  /** Throws SealError when the value cannot be opened (unknown key id, tampering, wrong place). */
  open(sealed: string, context: SealContext): Promise<string>;
}

export type SealErrorReason = "key_unavailable" | "undecryptable";

/** Thrown by Sealer.open; objects catch it and return a Failure with the same code. */
export class SealError extends Error {
  override name = "SealError";
  constructor(
    readonly reason: SealErrorReason,
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
  }
}
