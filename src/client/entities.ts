// Entities: versioned JSON documents. Reads carry their version from the reply's headers; writes
// take preconditions (If-Match, If-None-Match) and are retried under one Idempotency-Key.
import { EdgestateError } from "./errors.ts";
import type { Indexes, IndexQuery, QueryPage } from "./indexes.ts";
import { type JsonPatchOperation, pages, parseJson, readJson } from "./shared.ts";
import type { CallOptions, Reply, Transport, WriteOptions } from "./transport.ts";
import { type WatchOptions, watchPath } from "./watch.ts";
import type { EntityWatchMessage } from "./watch-messages.ts";
import type { ReplyBody } from "./wire.ts";

/** An entity as read or written: its document and where it stands. */
export interface Entity<T = unknown> {
  body: T;
  version: number;
  /** The strong ETag, `"<version>"`: what `ifMatch` takes. */
  etag: string;
  /** ISO-8601, to the second (from Last-Modified). */
  updatedAt: string;
  /** ISO-8601, or null when the entity does not expire. */
  expiresAt: string | null;
}

export interface GetEntityOptions extends CallOptions {
  /** A kept older version. */
  version?: number;
  /** `eventual` reads the edge cache (KV) when it holds a copy; `strong` (default) the object. */
  consistency?: "strong" | "eventual";
}

/** A precondition: an ETag (`"3"`), a version number, or `*`. */
export type Precondition = string | number;

export interface PutEntityOptions extends WriteOptions {
  /** Replace only this version (or `*`: only if it exists). */
  ifMatch?: Precondition;
  /** `*`: create only; refused with precondition-failed if it exists. */
  ifNoneMatch?: "*";
  /** Seconds until the entity expires; without it a put clears any expiry. */
  ttl?: number;
}

export interface PatchEntityOptions extends WriteOptions {
  /** `merge` (RFC 7396, default) or `json-patch` (RFC 6902, all or nothing). */
  type?: "merge" | "json-patch";
  ifMatch?: Precondition;
  /** Seconds until the entity expires; without it a patch keeps the expiry it had. */
  ttl?: number;
}

export interface DeleteEntityOptions extends WriteOptions {
  ifMatch?: Precondition;
}

export interface ListEntitiesOptions extends CallOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

export interface HistoryOptions extends CallOptions {
  /** Versions per page (1–100, default 20). */
  limit?: number;
}

export interface UpdateOptions extends CallOptions {
  /** Reads and writes before giving up with precondition-failed (default 10). */
  maxAttempts?: number;
}

export type EntityPage = ReplyBody<"/v1/entities/{type}", "get", 200>;
export type EntityHistoryPage = ReplyBody<"/v1/entities/{type}/{id}/history", "get", 200>;
export type EntityTypesPage = ReplyBody<"/v1/entities", "get", 200>;

const path = (type: string, id: string) => `/v1/entities/${enc(type)}/${enc(id)}`;
const enc = encodeURIComponent;

/** `3` → `"3"`; an ETag or `*` as given. */
export function etagOf(p: Precondition): string {
  return typeof p === "number" ? `"${p}"` : p;
}

export class Entities {
  constructor(
    private readonly t: Transport,
    private readonly indexes: Indexes,
  ) {}

  /** One page of a query of the type's index `index` (as `es.indexes.query`). */
  query(type: string, index: string, query: IndexQuery, options: CallOptions = {}): Promise<QueryPage> {
    return this.indexes.query(type, index, query, options);
  }

  async get<T = unknown>(type: string, id: string, options: GetEntityOptions = {}): Promise<Entity<T>> {
    const reply = await this.t.call({
      method: "GET",
      path: path(type, id),
      query: { version: options.version, consistency: options.consistency },
      repeat: "safe",
      signal: options.signal,
    });
    return entityOf<T>(reply);
  }

  async put<T = unknown>(
    type: string,
    id: string,
    body: T,
    options: PutEntityOptions = {},
  ): Promise<Entity<T>> {
    const reply = await this.t.call({
      method: "PUT",
      path: path(type, id),
      query: { ttl: options.ttl },
      headers: {
        "If-Match": options.ifMatch === undefined ? undefined : etagOf(options.ifMatch),
        "If-None-Match": options.ifNoneMatch,
      },
      body,
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return entityOf<T>(reply);
  }

  async patch<T = unknown>(
    type: string,
    id: string,
    patch: unknown | JsonPatchOperation[],
    options: PatchEntityOptions = {},
  ): Promise<Entity<T>> {
    const reply = await this.t.call({
      method: "PATCH",
      path: path(type, id),
      query: { ttl: options.ttl },
      headers: { "If-Match": options.ifMatch === undefined ? undefined : etagOf(options.ifMatch) },
      body: patch,
      contentType:
        options.type === "json-patch" ? "application/json-patch+json" : "application/merge-patch+json",
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return entityOf<T>(reply);
  }

  /** Deletes the entity; its tombstone's version is the one returned. */
  async delete(type: string, id: string, options: DeleteEntityOptions = {}): Promise<{ version: number }> {
    const reply = await this.t.call({
      method: "DELETE",
      path: path(type, id),
      headers: { "If-Match": options.ifMatch === undefined ? undefined : etagOf(options.ifMatch) },
      repeat: "keyed",
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return { version: Number(reply.headers.get("Edgestate-Version")) };
  }

  /**
   * Read, apply `fn`, write with If-Match; when someone else wrote in between (412), read again
   * and apply `fn` to the newer document. `fn` may run more than once: keep it free of side
   * effects. A missing entity reaches `fn` as `undefined` and is created only if nobody else did.
   */
  async update<T = unknown>(
    type: string,
    id: string,
    fn: (current: T | undefined, entity: Entity<T> | null) => T | Promise<T>,
    options: UpdateOptions = {},
  ): Promise<Entity<T>> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const current = await this.get<T>(type, id, { signal: options.signal }).catch((e: unknown) => {
        if (e instanceof EdgestateError && e.code === "not-found") return null;
        throw e;
      });
      const next = await fn(current?.body, current);
      try {
        // An existing entity is replaced by a JSON Patch of its root, which keeps its expiry as it
        // is; a missing one is created only if it still does not exist.
        if (current) {
          return await this.patch<T>(type, id, [{ op: "replace", path: "", value: next }], {
            type: "json-patch",
            ifMatch: current.etag,
            ...signalOf(options),
          });
        }
        return await this.put<T>(type, id, next, { ifNoneMatch: "*", ...signalOf(options) });
      } catch (e) {
        if (!(e instanceof EdgestateError && e.code === "precondition-failed") || attempt >= maxAttempts)
          throw e;
      }
    }
  }

  /** One page of a type's entities, from the list index (eventually consistent). */
  async list(type: string, options: ListEntitiesOptions = {}): Promise<EntityPage> {
    return readJson<EntityPage>(
      this.t,
      `/v1/entities/${enc(type)}`,
      { prefix: options.prefix, limit: options.limit, cursor: options.cursor },
      options,
    );
  }

  /** The tenant's entity types, one page. */
  async types(options: { limit?: number; cursor?: string } & CallOptions = {}): Promise<EntityTypesPage> {
    return readJson<EntityTypesPage>(
      this.t,
      "/v1/entities",
      { limit: options.limit, cursor: options.cursor },
      options,
    );
  }

  /**
   * Every committed version as it commits, first the current state (`missing` for an id that does
   * not exist yet): `for await (const m of es.entities.watch("cart", id)) …`. Never ends by itself.
   */
  watch<T = unknown>(
    type: string,
    id: string,
    options: WatchOptions = {},
  ): AsyncGenerator<EntityWatchMessage<T>> {
    return watchPath<EntityWatchMessage<T>>(this.t, `${path(type, id)}/watch`, options);
  }

  /** Kept versions, newest first, a page at a time: `for await (const page of es.entities.history(…))`. */
  history(type: string, id: string, options: HistoryOptions = {}): AsyncIterableIterator<EntityHistoryPage> {
    return pages((cursor) =>
      this.t
        .call({
          method: "GET",
          path: `${path(type, id)}/history`,
          query: { limit: options.limit, cursor },
          repeat: "safe",
          signal: options.signal,
        })
        .then((r) => parseJson<EntityHistoryPage>(r)),
    );
  }
}

function entityOf<T>(reply: Reply): Entity<T> {
  const version = Number(reply.headers.get("Edgestate-Version"));
  const modified = reply.headers.get("Last-Modified");
  return {
    body: parseJson<T>(reply),
    version,
    etag: reply.headers.get("ETag") ?? `"${version}"`,
    updatedAt: modified ? new Date(modified).toISOString() : "",
    expiresAt: reply.headers.get("Edgestate-Expires"),
  };
}

const signalOf = (o: CallOptions) => (o.signal ? { signal: o.signal } : {});
