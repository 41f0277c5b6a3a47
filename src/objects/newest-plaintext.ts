// The newest version's plaintext, kept in an object's memory (isolate memory is trusted in our
// threat model; storage and KV are not): a strong read of the current version decrypts nothing,
// and neither does a patch, a KV copy or a history page that starts with it. Entities keep their
// newest document here, sessions their data.
// It is set from what a commit just sealed and from what a read just opened, never guessed:
// versions never repeat (core/entity/decide.ts, nextVersion; a session's only grow), so a version
// names one plaintext. It is tied to the key ring it was sealed or opened under: a deployment with
// other keys opens the stored value again, so a key dropped too early still shows
// (key_unavailable), never hidden by what memory remembered.
import { ok, type Result } from "../core/result";

/**
 * Larger documents are opened on each read instead: an isolate hosts many objects, and this
 * keeps what each holds beside its storage bounded.
 */
export const KEPT_PLAINTEXT_CHARS = 64 * 1024;

export class NewestPlaintext {
  private kept: { version: number; body: string; ring: unknown } | null = null;
  /** Moves with every keep and forget: an open that began before one is not kept after it. */
  private generation = 0;

  /**
   * @param newest the version whose plaintext may be kept now (null: none), as stored.
   * @param ring the deployment's key ring as an identity (config.ts parses one per setting).
   */
  constructor(
    private readonly newest: () => number | null,
    private readonly ring: () => unknown,
  ) {}

  /** The row's document: from memory when it is the one kept, else opened (and kept if newest). */
  async of(row: { version: number }, open: () => Promise<Result<string>>): Promise<Result<string>> {
    const kept = this.kept;
    if (kept?.version === row.version && kept.ring === this.ring()) return ok(kept.body);
    const before = this.generation;
    const opened = await open();
    // Checked after the await: a commit may have made another version the newest meanwhile, or
    // dropped what this read opened (a revocation, a purge, a rollback).
    if (opened.ok && this.generation === before && this.newest() === row.version)
      this.keep(row.version, opened.value);
    return opened;
  }

  /** What the newest version is now, in plaintext (null for a delete's tombstone, a revocation or a purge). */
  keep(version: number, body: string | null): void {
    const small = body !== null && body.length <= KEPT_PLAINTEXT_CHARS;
    this.kept = small ? { version, body, ring: this.ring() } : null;
    this.generation++;
  }

  forget(): void {
    this.kept = null;
    this.generation++;
  }
}
