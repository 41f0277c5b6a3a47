// The watchers of one index shard: each watches a query (its key hash and sort range) rather than
// the whole object, so every applied change is told to each watcher as what it is to that watcher:
// `added`, `changed`, `removed`, or nothing. A shard keeps no history, so these watches do not
// resume: a watcher that lost its connection watches again and gets the current page.
//
// Order: a shard applies changes synchronously, but opening documents awaits WebCrypto. Every
// announcement and every admission runs on one chain, in the order the changes were applied; an
// admission reads its first page when it is called, so a change applied before that read is in
// the page (and announced before the watcher is accepted), and one applied after it is announced
// after the watcher is accepted. Each watcher gets every change once, in order.
import { encodeCursor } from "../core/indexes/cursor";
import {
  type EntryState,
  fromWire,
  movement,
  movementMessage,
  pageMessage,
  type QueryWatchAddress,
  rangeOf,
  type WatchedItem,
  type WatchedRange,
} from "../core/indexes/query-watch";
import { fail, ok, type Result } from "../core/result";
import { CLOSE, type WatchMessage, type WatchRequest } from "../core/watch/contract";
import type { EntryRow, ShardStore } from "./index-shard-store";
import type { SealedValues } from "./shell/sealed-values";
import type { WatchHub } from "./shell/watch-hub";

/** One applied change: the entity's row before it and after it. */
export interface AppliedChange {
  before: EntryRow | null;
  after: EntryRow;
}

const stateOf = (row: EntryRow | null): EntryState | null =>
  row && {
    keyHash: row.key_hash && new Uint8Array(row.key_hash),
    sort: new Uint8Array(row.sort),
    version: row.version,
    expiresAt: row.expires_at,
  };

export class ShardWatchers {
  private chain: Promise<unknown> = Promise.resolve();
  /** Admissions whose page is read but whose socket is not accepted yet: they must hear what applies meanwhile. */
  private pending = 0;

  constructor(
    private readonly hub: WatchHub,
    private readonly store: ShardStore,
    private readonly sealed: SealedValues,
  ) {}

  watching(): boolean {
    return this.pending > 0 || this.hub.count() > 0;
  }

  /** Admits a watcher: its first page is read now, the rest waits its turn on the chain. */
  admit(request: WatchRequest<QueryWatchAddress>, now: number): Promise<Response> {
    const { shard, sorted } = request.address;
    const query = fromWire(request.address.query);
    const range = rangeOf(query, sorted, { tenant: shard.tenant, type: shard.type });
    const retired = this.store.retired();
    const page = retired || !this.store.isReady() ? { items: [], more: false } : this.store.page(query, now);
    this.pending++;
    const admitted = this.run(async () => {
      const reply = await this.hub.admit(request, async () => {
        // Retired while this admission waited its turn: refused, not left on a dead generation.
        if (retired || this.store.retired())
          return fail("not_found", `index ${shard.index} was dropped or rebuilt: watch again`);
        const items: WatchedItem[] = [];
        for (const item of page.items) {
          const body =
            item.body === undefined ? null : await this.open(range, item.id, item.version, item.body);
          if (body !== null && !body.ok) return body;
          items.push({ ...item, ...(body ? { body: body.value } : {}) });
        }
        const last = page.items[page.items.length - 1];
        const cursor =
          page.more && last
            ? encodeCursor({
                index: shard.index,
                order: query.order,
                sort: last.sort,
                id: last.id,
                ...(request.address.sortPointer !== undefined
                  ? { sortPointer: request.address.sortPointer }
                  : {}),
              })
            : null;
        return ok({ messages: [pageMessage(range, items, cursor)], seq: 0, filter: range });
      });
      // Retired while the key's record was asked: the socket just accepted is told at once.
      if (this.store.retired()) this.retired();
      return reply;
    });
    return admitted.finally(() => {
      this.pending--;
    });
  }

  /** After a transaction applied `changes`: each watcher hears what they are to its query. */
  announce(changes: AppliedChange[], now: number): Promise<void> {
    return this.run(async () => {
      // Read in turn: a watcher admitted just before this step is among them.
      const bodies = (this.hub.filters() as WatchedRange[]).find((r) => r.bodies);
      const opened = new Map<AppliedChange, string>();
      if (bodies) {
        for (const change of changes) {
          const { after } = change;
          if (after.key_hash === null || after.body === null) continue;
          const body = await this.open(bodies, after.id, after.version, after.body);
          if (!body.ok) {
            // A document that cannot be opened here cannot be opened by a query either (its 500).
            console.error(JSON.stringify({ event: "query_watch_open_failed", cause: body.detail }));
            this.hub.endAll({ code: 1011, reason: "a matching document cannot be opened" });
            return;
          }
          opened.set(change, body.value);
        }
      }
      this.hub.publishEach((filter) => {
        const range = filter as WatchedRange;
        const messages: WatchMessage[] = [];
        for (const change of changes) {
          const moved = movement(range, stateOf(change.before), stateOf(change.after)!, now);
          if (!moved) continue;
          const { after } = change;
          const body = range.bodies ? opened.get(change) : undefined;
          const item = {
            id: after.id,
            version: after.version,
            updatedAt: after.updated_at,
            sort: new Uint8Array(after.sort),
            ...(body === undefined ? {} : { body }),
          };
          messages.push(movementMessage(range, moved, item));
        }
        return messages;
      });
    });
  }

  /** The generation was retired: its watchers watch again (the new generation, or a 404). */
  retired(): void {
    this.hub.endAll({ code: CLOSE.indexRetired, reason: "the index was dropped or rebuilt: watch again" });
  }

  /** In turn with admissions: deciding whether to tell a key's record must not interleave. */
  closed(ws: WebSocket, code: number, reason: string): Promise<void> {
    return this.run(() => this.hub.closed(ws, code, reason));
  }

  message(ws: WebSocket, message: string | ArrayBuffer): void {
    this.hub.message(ws, message);
  }

  dropKey(keyId: string): Promise<number> {
    return this.run(async () => this.hub.dropKey(keyId));
  }

  /** The entity's own sealed value of that version, opened in the entity's place. */
  private open(range: WatchedRange, id: string, version: number, sealed: string): Promise<Result<string>> {
    const { tenant, type } = range.entities;
    return this.sealed.open(sealed, { tenant, kind: "entity", name: `${type}/${id}`, version });
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
