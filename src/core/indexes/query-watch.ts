// Watching a query: which entries of a shard one watcher sees (its key hash and sort range), how an
// applied change moves an entity into, within or out of that set, and the messages it hears. Pure:
// the shard decides with it after each change it applies (objects/index-shard-watch.ts).
import { isoTime } from "../clock";
import type { WatchMessage } from "../watch/contract";
import type { RangeBound, ShardAddress, ShardQuery } from "./contract";
import { fromBase64Url, toBase64Url } from "./cursor";
import { compareBytes, decodeScalar } from "./scalar";

/** One watcher's query, as its connection keeps it (structured clone: bytes stay bytes). */
export interface WatchedRange {
  keyHash: Uint8Array;
  from?: RangeBound;
  to?: RangeBound;
  /** The query asked for documents (`include: "documents"`). */
  bodies: boolean;
  /** The index has a sort pointer: items carry their sort value. */
  sorted: boolean;
  /** Whose documents these are (where their sealed values open). */
  entities: { tenant: string; type: string };
}

/** An entity's row in a shard, as far as a watch cares; `keyHash` null for a removal. */
export interface EntryState {
  keyHash: Uint8Array | null;
  sort: Uint8Array;
  version: number;
  expiresAt: number | null;
}

export type Movement = "added" | "changed" | "removed";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** The entry is one of the query's matches at `now` (as the shard's own query finds them); null: whatever its expiry. */
export function matches(range: WatchedRange, entry: EntryState | null, now: number | null): boolean {
  if (!entry?.keyHash || !sameBytes(entry.keyHash, range.keyHash)) return false;
  if (now !== null && entry.expiresAt !== null && entry.expiresAt <= now) return false;
  if (range.from) {
    const c = compareBytes(entry.sort, range.from.value);
    if (c < 0 || (c === 0 && !range.from.inclusive)) return false;
  }
  if (range.to) {
    const c = compareBytes(entry.sort, range.to.value);
    if (c > 0 || (c === 0 && !range.to.inclusive)) return false;
  }
  return true;
}

/** What an applied change is to this watcher: it entered, moved within, left, or is not its business. */
export function movement(
  range: WatchedRange,
  before: EntryState | null,
  after: EntryState,
  now: number,
): Movement | null {
  // What the watcher was told is in its set until it is told otherwise, even past its expiry: the
  // entity's expiry arrives as a removal, and the watcher hears of it then.
  const was = matches(range, before, null);
  const is = matches(range, after, now);
  if (is) return was ? "changed" : "added";
  return was ? "removed" : null;
}

/** An item of a watched query: the query's item shape (the page's and the live messages'). */
export interface WatchedItem {
  id: string;
  version: number;
  updatedAt: number;
  sort: Uint8Array;
  /** Opened JSON text, when the query asked for documents. */
  body?: string;
}

function itemFields(range: WatchedRange, item: WatchedItem): string {
  const sort = range.sorted ? `,"sort":${JSON.stringify(decodeScalar(item.sort))}` : "";
  const body = item.body === undefined ? "" : `,"body":${item.body}`;
  return `"id":${JSON.stringify(item.id)},"version":${item.version},"updatedAt":"${isoTime(item.updatedAt)}"${sort}${body}`;
}

/** `added` and `changed` carry the item as the query lists it; `removed` its id and the version that removed it. */
export function movementMessage(range: WatchedRange, kind: Movement, item: WatchedItem): WatchMessage {
  if (kind === "removed")
    return { text: `{"type":"removed","id":${JSON.stringify(item.id)},"version":${item.version}}` };
  return { text: `{"type":"${kind}",${itemFields(range, item)}}` };
}

/** The first message: the current page, as POST …/query answers it. */
export function pageMessage(range: WatchedRange, items: WatchedItem[], cursor: string | null): WatchMessage {
  const listed = items.map((item) => `{${itemFields(range, item)}}`).join(",");
  return {
    text: `{"type":"page","items":[${listed}],"cursor":${cursor === null ? "null" : JSON.stringify(cursor)}}`,
  };
}

/** A shard query as it travels in a watch request (JSON): bytes as base64url. */
export interface WireQuery {
  keyHash: string;
  from?: { value: string; inclusive: boolean };
  to?: { value: string; inclusive: boolean };
  order: "asc" | "desc";
  limit: number;
  after?: { sort: string; id: string };
  bodies: boolean;
}

const wireBound = (b: RangeBound | undefined) => b && { value: toBase64Url(b.value), inclusive: b.inclusive };
const bytesOf = (text: string) => fromBase64Url(text) ?? new Uint8Array();
const boundOf = (b: WireQuery["from"]) => b && { value: bytesOf(b.value), inclusive: b.inclusive };

export function toWire(q: ShardQuery): WireQuery {
  const from = wireBound(q.from);
  const to = wireBound(q.to);
  return {
    keyHash: toBase64Url(q.keyHash),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    order: q.order,
    limit: q.limit,
    ...(q.after ? { after: { sort: toBase64Url(q.after.sort), id: q.after.id } } : {}),
    bodies: q.bodies,
  };
}

export function fromWire(w: WireQuery): ShardQuery {
  const from = boundOf(w.from);
  const to = boundOf(w.to);
  return {
    keyHash: bytesOf(w.keyHash),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    order: w.order,
    limit: w.limit,
    ...(w.after ? { after: { sort: bytesOf(w.after.sort), id: w.after.id } } : {}),
    bodies: w.bodies,
  };
}

/**
 * A watcher's range is kept in its connection's attachment, which the runtime caps at 2 KiB: the
 * bounds and the names beside them must fit, with room for the rest of the attachment.
 */
export const MAX_KEPT_BYTES = 1536;

export const keptBytes = (r: WatchedRange): number =>
  r.keyHash.length +
  (r.from?.value.length ?? 0) +
  (r.to?.value.length ?? 0) +
  r.entities.tenant.length +
  r.entities.type.length;

/** What a watcher of `query` keeps: its key and range (the page's cursor and limit are the first page's only). */
export const rangeOf = (
  q: ShardQuery,
  sorted: boolean,
  entities: WatchedRange["entities"],
): WatchedRange => ({
  keyHash: q.keyHash,
  ...(q.from ? { from: q.from } : {}),
  ...(q.to ? { to: q.to } : {}),
  bodies: q.bodies,
  sorted,
  entities,
});

/** What the Worker tells a shard when it forwards a query watch. */
export interface QueryWatchAddress {
  shard: ShardAddress;
  /** The index has a sort pointer. */
  sorted: boolean;
  /** That pointer, which the first page's cursor is bound to as a query's is (cursor.ts). */
  sortPointer?: string | null;
  query: WireQuery;
}
