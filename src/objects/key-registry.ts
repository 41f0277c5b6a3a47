import { DurableObject } from "cloudflare:workers";
import type { KeySummary } from "../core/keys/contract";
import { migrate } from "./sql/migrations";

const MIGRATIONS = [
  `CREATE TABLE keys (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, summary TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE INDEX keys_tenant ON keys (tenant, created_at)`,
];

/**
 * The list of keys, for administration only (GET /v1/keys). Verification never reads it, so it is
 * not on any data request's path.
 */
export class KeyRegistry extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  async put(summary: KeySummary): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO keys (id, tenant, summary, created_at) VALUES (?, ?, ?, ?)",
      summary.id,
      summary.tenant,
      JSON.stringify(summary),
      summary.createdAt,
    );
  }

  async list(query: {
    tenant?: string;
    limit: number;
    after?: string;
  }): Promise<{ items: KeySummary[]; cursor: string | null }> {
    const rows = this.ctx.storage.sql
      .exec<{ id: string; summary: string }>(
        `SELECT id, summary FROM keys WHERE (?1 IS NULL OR tenant = ?1) AND id > ?2 ORDER BY id LIMIT ?3`,
        query.tenant ?? null,
        query.after ?? "",
        query.limit + 1,
      )
      .toArray();
    const items = rows.slice(0, query.limit).map((r) => JSON.parse(r.summary) as KeySummary);
    return { items, cursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
  }
}
