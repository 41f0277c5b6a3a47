// The newest version's document in plaintext, kept in the object's memory (isolate memory is
// trusted in our threat model; storage and KV are not): a strong read of the current version
// decrypts nothing, and neither does a patch, a KV copy or a history page that starts with it.
// It is set from what a commit just sealed and from what a read just opened, never guessed:
// versions never repeat (core/entity/decide.ts, nextVersion), so a version names one plaintext.
// It is tied to the key ring it was sealed or opened under: a deployment with other keys opens
// the stored value again, so a key dropped too early still shows (key_unavailable), never hidden
// by what memory remembered.
import { ok, type Result } from "../core/result";
import type { EntityStore, VersionRow } from "./entity-store";

/**
 * Larger documents are opened on each read instead: an isolate hosts many objects, and this
 * keeps what each holds beside its storage bounded.
 */
export const KEPT_PLAINTEXT_CHARS = 64 * 1024;

export class NewestPlaintext {
  private kept: { version: number; body: string; ring: unknown } | null = null;

  /** @param ring the deployment's key ring as an identity (config.ts parses one per setting). */
  constructor(
    private readonly store: EntityStore,
    private readonly ring: () => unknown,
  ) {}

  /** The row's document: from memory when it is the one kept, else opened (and kept if newest). */
  async of(row: Pick<VersionRow, "version">, open: () => Promise<Result<string>>): Promise<Result<string>> {
    const kept = this.kept;
    if (kept?.version === row.version && kept.ring === this.ring()) return ok(kept.body);
    const opened = await open();
    // Checked after the await: a commit may have made another version the newest meanwhile.
    if (opened.ok && this.store.latest()?.version === row.version) this.keep(row.version, opened.value);
    return opened;
  }

  /** What the newest version is now, in plaintext (null for a delete's tombstone or a purge). */
  keep(version: number, body: string | null): void {
    const small = body !== null && body.length <= KEPT_PLAINTEXT_CHARS;
    this.kept = small ? { version, body, ring: this.ring() } : null;
  }

  forget(): void {
    this.kept = null;
  }
}
