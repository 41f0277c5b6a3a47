// Secondary indexes over a type's entities: define, describe, drop, and query a page at a time.
import { pages, parseJson, readJson } from "./shared.ts";
import type { CallOptions, Transport, WriteOptions } from "./transport.ts";
import { watchPath } from "./watch.ts";
import type { QueryWatchMessage } from "./watch-messages.ts";
import type { ReplyBody, RequestBody, Schemas } from "./wire.ts";

export type IndexDefinition = Schemas["IndexDefinition"];
export type IndexSummary = Schemas["Index"];
export type IndexDetail = Schemas["IndexDetail"];
export type IndexQuery = RequestBody<"/v1/indexes/{type}/{index}/query", "post">;
export type QueryPage = ReplyBody<"/v1/indexes/{type}/{index}/query", "post", 200>;

const enc = encodeURIComponent;
const path = (type: string, index: string) => `/v1/indexes/${enc(type)}/${enc(index)}`;

export class Indexes {
  constructor(private readonly t: Transport) {}

  /** Creates the index (BUILDING over the existing entities, then ACTIVE); the same definition again changes nothing. */
  async put(
    type: string,
    index: string,
    definition: IndexDefinition,
    options: WriteOptions = {},
  ): Promise<IndexSummary> {
    const reply = await this.t.call({
      method: "PUT",
      path: path(type, index),
      body: definition,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return parseJson<IndexSummary>(reply);
  }

  async get(type: string, index: string, options: CallOptions = {}): Promise<IndexDetail> {
    return readJson<IndexDetail>(this.t, path(type, index), undefined, options);
  }

  async list(type: string, options: CallOptions = {}): Promise<IndexSummary[]> {
    return (await readJson<{ items: IndexSummary[] }>(this.t, `/v1/indexes/${enc(type)}`, undefined, options))
      .items;
  }

  /** Drops the index: its entries go, the entities stay. */
  async delete(type: string, index: string, options: WriteOptions = {}): Promise<void> {
    await this.t.call({
      method: "DELETE",
      path: path(type, index),
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }

  /** One page of the entities whose keys equal `where`, in sort order (eventually consistent). */
  async query(type: string, index: string, query: IndexQuery, options: CallOptions = {}): Promise<QueryPage> {
    const reply = await this.t.call({
      method: "POST",
      path: `${path(type, index)}/query`,
      body: query,
      repeat: "safe",
      signal: options.signal,
    });
    return parseJson<QueryPage>(reply);
  }

  /**
   * The query's first page, then `added` / `changed` / `removed` as matching entities change
   * (eventually consistent, like queries): `for await (const m of es.indexes.watch(…))`. A dropped
   * connection, or an index rebuilt under it (4410), starts again with a fresh page.
   */
  watch<T = unknown>(
    type: string,
    index: string,
    query: IndexQuery,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<QueryWatchMessage<T>> {
    return watchPath<QueryWatchMessage<T>>(this.t, `${path(type, index)}/query/watch`, options, {
      query: JSON.stringify(query),
    });
  }

  /** Every page of a query: `for await (const page of es.indexes.pages(…))`. */
  pages(
    type: string,
    index: string,
    query: IndexQuery,
    options: CallOptions = {},
  ): AsyncIterableIterator<QueryPage> {
    return pages((cursor) => this.query(type, index, { ...query, ...(cursor ? { cursor } : {}) }, options));
  }
}
