import { KV_MIN_TTL_MS } from "../cache/entity-cache";

export type CopyAction = "write" | "delete" | "none";

/**
 * Whether an entity keeps a KV copy. A copy is worth its KV writes only while someone reads the
 * entity with consistency=eventual, so a cache miss opens a lease of CACHE_TTL_SECONDS; while it
 * runs, every commit refreshes the copy (at KV's pace). Copies written under a lease expire by
 * themselves no later than its end plus KV's 60 s floor, so a commit inside that tail deletes the
 * copy instead — after it, no copy can exist and commits write none. A hot eventual-read entity
 * therefore misses about once per lease; a write-only entity costs one KV write (its index) per
 * write-second, not two.
 */
export class CopyLease {
  /** In memory only: after an eviction the tail's delete is simply repeated, which is harmless. */
  private deletedAfterEnd = false;
  /** The stored end, remembered once read: only this lease writes it. */
  private end: number | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  until(): number {
    this.end ??= this.storage.kv.get<number>("copyLeaseUntil") ?? 0;
    return this.end;
  }

  /** A read missed the cache: keep a copy for the next `ms`, unless a lease is already running. */
  renew(now: number, ms: number): void {
    if (now < this.until()) return;
    this.storage.kv.put("copyLeaseUntil", now + ms);
    this.end = now + ms;
    this.deletedAfterEnd = false;
  }

  /** What the cache write at `now` does with the copy. */
  action(now: number): CopyAction {
    const until = this.until();
    if (now < until) return "write";
    if (now < until + KV_MIN_TTL_MS && !this.deletedAfterEnd) return "delete";
    return "none";
  }

  copyDeleted(): void {
    this.deletedAfterEnd = true;
  }
}
