// SQL for one entity type's index catalog: the catalog itself (core/indexes/catalog.ts) as one
// value, when its owed work is due next, the entities a build must visit again, and the shell's
// idempotency records. Created on the first definition, so reading an unknown type stores nothing.
import { type CatalogState, emptyCatalog } from "../core/indexes/catalog";
import { LEDGER_PARTS_TABLE, LEDGER_TABLE } from "./shell/idempotency-ledger";
import { LazySqlStore } from "./sql/sql-store";

const MIGRATIONS = [`${LEDGER_TABLE}; CREATE TABLE build_retry (id TEXT PRIMARY KEY)`, LEDGER_PARTS_TABLE];
const STATE = "catalog";
const WORK_AT = "workAt";

export class CatalogStore extends LazySqlStore {
  private cached: CatalogState | undefined;

  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  state(): CatalogState {
    this.cached ??= (this.isReady() ? this.storage.kv.get<CatalogState>(STATE) : undefined) ?? emptyCatalog();
    return this.cached;
  }

  /** Synchronous: inside a commit. */
  save(state: CatalogState): void {
    this.storage.kv.put(STATE, state);
    this.cached = state;
  }

  /** After a failed commit. */
  reload(): void {
    this.cached = undefined;
  }

  workAt(): number | null {
    return this.isReady() ? (this.storage.kv.get<number>(WORK_AT) ?? null) : null;
  }

  setWorkAt(at: number | null): void {
    if (at === null) this.storage.kv.delete(WORK_AT);
    else this.storage.kv.put(WORK_AT, at);
  }

  retryAdd(ids: string[]): void {
    for (const id of ids) this.sql.exec("INSERT OR IGNORE INTO build_retry (id) VALUES (?)", id);
  }

  retryRemove(ids: string[]): void {
    for (const id of ids) this.sql.exec("DELETE FROM build_retry WHERE id = ?", id);
  }

  retryPage(limit: number): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM build_retry ORDER BY id LIMIT ?", limit)
      .toArray()
      .map((r) => r.id);
  }

  retryClear(): void {
    this.sql.exec("DELETE FROM build_retry");
  }
}
