// KV copies this isolate has already opened, so an eventual read of a copy it saw before decrypts
// nothing (isolate memory is trusted in our threat model; KV is not). A remembered plaintext is
// served only for the very same sealed text under the same address and binding (its version and
// metadata, entity-cache.ts copyContext), which is exactly what it was opened from: KV can swap
// neither the copy nor its metadata underneath. It is tied to
// the sealer, one per key ring (config.ts): a deployment with other keys opens the copy again, so
// a copy sealed with a key since dropped stays a miss, never served from memory.

/** Documents over this are opened on each read: they would crowd out many small ones. */
const KEPT_DOCUMENT_CHARS = 64 * 1024;
/** What the whole memory may hold, sealed text and plaintext together, in UTF-16 code units. */
const KEPT_TOTAL_CHARS = 4 * 1024 * 1024;

interface Opened {
  binding: string;
  sealed: string;
  body: string;
}

class OpenedCopies {
  /** Least recently used first (a Map keeps insertion order; a hit moves to the end). */
  private readonly byKey = new Map<string, Opened>();
  private chars = 0;

  get(key: string, binding: string, sealed: string): string | null {
    const hit = this.byKey.get(key);
    if (!hit || hit.binding !== binding || hit.sealed !== sealed) return null;
    this.byKey.delete(key);
    this.byKey.set(key, hit);
    return hit.body;
  }

  keep(key: string, binding: string, sealed: string, body: string): void {
    this.drop(key);
    if (body.length > KEPT_DOCUMENT_CHARS) return;
    this.byKey.set(key, { binding, sealed, body });
    this.chars += sealed.length + body.length;
    for (const oldest of this.byKey.keys()) {
      if (this.chars <= KEPT_TOTAL_CHARS) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const old = this.byKey.get(key);
    if (!old) return;
    this.byKey.delete(key);
    this.chars -= old.sealed.length + old.body.length;
  }
}

const bySealer = new WeakMap<object, OpenedCopies>();

/** The opened copies of one sealer (one key ring). */
export function openedCopies(sealer: object): OpenedCopies {
  const known = bySealer.get(sealer);
  if (known) return known;
  const copies = new OpenedCopies();
  bySealer.set(sealer, copies);
  return copies;
}
