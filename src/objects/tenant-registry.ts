import { DurableObject } from "cloudflare:workers";
import type { CatalogSnapshot } from "../core/indexes/contract";
import type { RegisteredObject, RegistrationAnswer, SealedKind } from "../core/registry";
import { tenantDirectoryStub } from "./names";
import { migrate } from "./sql/migrations";

const MIGRATIONS = [
  `CREATE TABLE objects (kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, name))`,
  // The index generations of each entity type, as its catalog last announced them here.
  `CREATE TABLE catalogs (type TEXT PRIMARY KEY, epoch INTEGER NOT NULL, snapshot TEXT NOT NULL)`,
];

/** Set once this shard has told the tenant directory about its tenant. */
const LISTED = "listed";

/**
 * One shard of a tenant's registry of objects holding sealed values (core/registry.ts). Objects
 * write here before their first commit; key rotation reads it page by page, and so does an index
 * build, for the entities of one type.
 *
 * An entity that registers is told its type's index generations as announced here. A build
 * announces a new generation to every shard before it walks that shard, and a shard does one thing
 * at a time, so every entity is either registered before the announcement (the walk finds it) or
 * told about the generation when it registers (objects/index-build.ts).
 */
export class TenantRegistry extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /** Idempotent: registering twice (a retried first write) leaves one row. */
  async register(tenant: string, object: RegisteredObject): Promise<RegistrationAnswer> {
    this.ctx.storage.sql.exec(
      "INSERT OR IGNORE INTO objects (kind, name) VALUES (?, ?)",
      object.kind,
      object.name,
    );
    // The first registration of a tenant in this shard lists the tenant, so an operator can find
    // every tenant to rotate; after that the directory is never asked again from here.
    if (this.ctx.storage.kv.get(LISTED) === undefined) {
      await tenantDirectoryStub(this.env).add(tenant);
      this.ctx.storage.kv.put(LISTED, true);
    }
    return { indexes: object.kind === "entity" ? this.catalogOf(object.name.split("/")[0]!) : null };
  }

  /** A catalog's generations for its type; an older epoch than the one held changes nothing. */
  async announce(type: string, snapshot: CatalogSnapshot): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT INTO catalogs (type, epoch, snapshot) VALUES (?, ?, ?)
         ON CONFLICT (type) DO UPDATE SET epoch = excluded.epoch, snapshot = excluded.snapshot
         WHERE excluded.epoch > catalogs.epoch`,
      type,
      snapshot.epoch,
      JSON.stringify(snapshot),
    );
  }

  /** Ids of the type's entities registered here, after `after`, in id order. */
  async entitiesOfType(type: string, after: string | null, limit: number): Promise<string[]> {
    // Names are "<type>/<id>"; "0" is the character after "/", so [type/, type0) is the type.
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM objects WHERE kind = 'entity' AND name > ? AND name < ? ORDER BY name LIMIT ?",
        `${type}/${after ?? ""}`,
        `${type}0`,
        limit,
      )
      .toArray()
      .map((r) => r.name.slice(type.length + 1));
  }

  private catalogOf(type: string): CatalogSnapshot | null {
    const row = this.ctx.storage.sql
      .exec<{ snapshot: string }>("SELECT snapshot FROM catalogs WHERE type = ?", type)
      .toArray()[0];
    return row ? (JSON.parse(row.snapshot) as CatalogSnapshot) : null;
  }

  /** An object that holds nothing any more (a finished transaction's coordinator) leaves the registry. */
  async unregister(object: RegisteredObject): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM objects WHERE kind = ? AND name = ?", object.kind, object.name);
  }

  /**
   * The entity types after `after` (in order) that have ever held an entity registered here. A
   * skip scan over the primary key: one index seek per type, whatever the number of entities,
   * because every name of type T sorts between "T/" and "T0" ("/" is just below "0", and no type
   * or id holds a character between them).
   */
  async entityTypes(after: string, limit: number): Promise<string[]> {
    const types: string[] = [];
    let from = after === "" ? "" : `${after}0`;
    while (types.length < limit) {
      const row = this.ctx.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM objects WHERE kind = 'entity' AND name >= ? ORDER BY name LIMIT 1",
          from,
        )
        .toArray()[0];
      if (!row) break;
      const type = row.name.slice(0, row.name.indexOf("/"));
      types.push(type);
      from = `${type}0`;
    }
    return types;
  }

  /** Registered objects after `after`, in (kind, name) order. */
  async page(after: RegisteredObject | null, limit: number): Promise<RegisteredObject[]> {
    return this.ctx.storage.sql
      .exec<{ kind: SealedKind; name: string }>(
        `SELECT kind, name FROM objects WHERE (kind, name) > (?, ?) ORDER BY kind, name LIMIT ?`,
        after?.kind ?? "",
        after?.name ?? "",
        limit,
      )
      .toArray();
  }
}

/**
 * Every tenant that ever had an object registered: what an operator loops over to rotate keys.
 * Registry shards write here once per tenant each, off every request's path but the first.
 */
export class TenantDirectory extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () =>
      migrate(ctx.storage, [`CREATE TABLE tenants (tenant TEXT PRIMARY KEY)`]),
    );
  }

  async add(tenant: string): Promise<void> {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO tenants (tenant) VALUES (?)", tenant);
  }

  async list(after: string, limit: number): Promise<{ tenants: string[]; cursor: string | null }> {
    const rows = this.ctx.storage.sql
      .exec<{ tenant: string }>(
        "SELECT tenant FROM tenants WHERE tenant > ? ORDER BY tenant LIMIT ?",
        after,
        limit + 1,
      )
      .toArray();
    const tenants = rows.slice(0, limit).map((r) => r.tenant);
    return { tenants, cursor: rows.length > limit ? tenants[tenants.length - 1]! : null };
  }
}
