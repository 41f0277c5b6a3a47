// SQL for one state machine: its definition versions (sealed), newest last. Synchronous on
// purpose, so a caller can group several calls into one transactionSync.
import { DEFAULT_SETTINGS, type MachineSettings } from "../core/machines/contract";
import { LEDGER_PARTS_TABLE, LEDGER_TABLE } from "./shell/idempotency-ledger";
import { rowsNotUnder } from "./shell/stale-rows";
import { newestVersion, SqlStore, versionRow } from "./sql/sql-store";

export type VersionRow = {
  version: number;
  created_at: number;
  /** Sealed canonical JSON text of the definition. */
  definition: string;
};

const MIGRATIONS = [
  `CREATE TABLE versions (version INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,
     definition TEXT NOT NULL)`,
  // PUT and DELETE honour Idempotency-Key: the shell's ledger.
  LEDGER_TABLE,
  LEDGER_PARTS_TABLE,
];

/** GET /v1/machines/{name} lists at most this many versions, newest first. */
export const LISTED_VERSIONS = 100;

export class MachineStore extends SqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  latest(): VersionRow | null {
    return newestVersion<VersionRow>(this.sql);
  }

  /** The oldest version kept (null: no machine). Versions go only all at once (deleteAll). */
  firstVersion(): number | null {
    return this.sql.exec<{ v: number | null }>("SELECT MIN(version) AS v FROM versions").one().v;
  }

  version(version: number): VersionRow | null {
    return versionRow<VersionRow>(this.sql, version);
  }

  versions(): { version: number; created_at: number }[] {
    return this.sql
      .exec<{ version: number; created_at: number }>(
        "SELECT version, created_at FROM versions ORDER BY version DESC LIMIT ?",
        LISTED_VERSIONS,
      )
      .toArray();
  }

  /**
   * Versions never restart, even after a delete: a version number names one immutable definition
   * forever, which is what lets every isolate cache definitions by (tenant, machine, version).
   */
  nextVersion(): number {
    return Math.max(this.latest()?.version ?? 0, this.storage.kv.get<number>("deletedVersion") ?? 0) + 1;
  }

  versionsBefore(before: number, limit: number): { version: number; created_at: number }[] {
    return this.sql
      .exec<{ version: number; created_at: number }>(
        "SELECT version, created_at FROM versions WHERE version < ? ORDER BY version DESC LIMIT ?",
        before,
        limit,
      )
      .toArray();
  }

  settings(): MachineSettings {
    return this.storage.kv.get<MachineSettings>("settings") ?? DEFAULT_SETTINGS;
  }

  putSettings(settings: MachineSettings): void {
    this.storage.kv.put("settings", settings);
  }

  insert(row: VersionRow): void {
    this.sql.exec(
      "INSERT INTO versions (version, created_at, definition) VALUES (?, ?, ?)",
      row.version,
      row.created_at,
      row.definition,
    );
  }

  deleteAll(): void {
    const last = this.latest()?.version;
    if (last !== undefined) this.storage.kv.put("deletedVersion", last);
    this.storage.kv.delete("settings");
    this.sql.exec("DELETE FROM versions");
  }

  /** Up to `limit` definitions not sealed under `keyId`. */
  versionsNotUnder(keyId: string, limit: number): VersionRow[] {
    return rowsNotUnder(
      this.sql,
      { table: "versions", column: "definition", order: "version" },
      keyId,
      limit,
    );
  }

  replaceDefinition(version: number, definition: string): void {
    this.sql.exec("UPDATE versions SET definition = ? WHERE version = ?", definition, version);
  }

  firstCreatedAt(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM versions").one().t;
  }
}
