// Text values stored in pieces. In production a SQLite-backed object refuses a KV key plus value
// over 2 MB, and any SQL string or row over 2 MB (locally nothing is enforced, so a bigger write
// passes every test and fails only there): an execution snapshot holding sixteen 200 KB variables
// is 3.2 MB of plaintext, over 4 MB sealed; a kept reply showing a 1 MiB document, 2.3 MB.
// `splitChunks` cuts any such text; the rest keeps one value in synchronous KV across keys.
//
// KV layout: the first chunk stays under `key` itself, so a value stored before chunking (the whole
// text under `key`, no count) reads back as a one-chunk value; chunks 1… go under `key#1`…, and
// `key#n` holds the count when there is more than one. Every write and delete runs inside the
// caller's transactionSync, so readers never see chunks of two different values.

/** Characters per chunk: a quarter of the limit, as history's SQL chunks (sealed text is ASCII). */
export const CHUNK_CHARS = 512 * 1024;

/** `text` in pieces of at most `size` characters (at least one piece, "" for ""). */
export function splitChunks(text: string, size = CHUNK_CHARS): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length || pieces.length === 0; at += size)
    pieces.push(text.slice(at, at + size));
  return pieces;
}

const countKey = (key: string) => `${key}#n`;
const chunkKey = (key: string, i: number) => (i === 0 ? key : `${key}#${i}`);

/** How many chunks `key` holds (1 without a count: a value stored whole, or none at all). */
const chunks = (kv: SyncKvStorage, key: string): number => kv.get<number>(countKey(key)) ?? 1;

/** The whole text, or undefined when nothing is stored under `key`. */
export function getChunked(kv: SyncKvStorage, key: string): string | undefined {
  const first = kv.get<string>(key);
  if (first === undefined) return undefined;
  const n = chunks(kv, key);
  if (n === 1) return first;
  const parts = [first];
  for (let i = 1; i < n; i++) {
    const part = kv.get<string>(chunkKey(key, i));
    // A missing chunk would open as tampered ciphertext; say what is really wrong instead.
    if (part === undefined) throw new Error(`stored value ${key} lacks chunk ${i} of ${n}`);
    parts.push(part);
  }
  return parts.join("");
}

/** Synchronous, inside the caller's transaction: writes `text`, removing chunks it no longer needs. */
export function putChunked(kv: SyncKvStorage, key: string, text: string, size = CHUNK_CHARS): void {
  // Only the count is read, never the old text: writing a batch costs no read of its snapshot.
  const before = chunks(kv, key);
  const pieces = splitChunks(text, size);
  const n = pieces.length;
  for (const [i, piece] of pieces.entries()) kv.put(chunkKey(key, i), piece);
  for (let i = n; i < before; i++) kv.delete(chunkKey(key, i));
  if (n > 1) kv.put(countKey(key), n);
  // No count is stored for one chunk: only a value that had more has one to remove (a delete is a
  // billed write, and most batches of most executions stay in one chunk).
  else if (before > 1) kv.delete(countKey(key));
}
