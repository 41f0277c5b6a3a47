// The two ways an object's SQL store begins: migrated from the constructor (SqlStore), or created
// on the first write so an object that is only read stores nothing (LazySqlStore).
import { LazySchema } from "./lazy-schema";
import { migrate } from "./migrations";

export class SqlStore {
  protected readonly sql: SqlStorage;

  constructor(
    protected readonly storage: DurableObjectStorage,
    private readonly migrations: readonly string[],
  ) {
    this.sql = storage.sql;
  }

  /** From the constructor, inside blockConcurrencyWhile. */
  migrate(): void {
    migrate(this.storage, this.migrations);
  }
}

export class LazySqlStore {
  protected readonly sql: SqlStorage;
  protected readonly schema: LazySchema;

  constructor(
    protected readonly storage: DurableObjectStorage,
    migrations: readonly string[],
  ) {
    this.sql = storage.sql;
    this.schema = new LazySchema(storage, migrations);
  }

  /** From the constructor: bring an existing schema up to date, create nothing. */
  upgrade(): void {
    this.schema.upgrade();
  }

  /** Before the first write. */
  ensure(): void {
    this.schema.ensure();
  }

  isReady(): boolean {
    return this.schema.ready;
  }

  /** Deletes every stored byte, schema and alarm included. */
  async wipe(): Promise<void> {
    await this.schema.wipe();
  }

  /** Deletes every stored byte but one KV key, atomically. */
  async wipeKeeping(key: string): Promise<void> {
    await this.schema.wipeKeeping(key);
  }
}

/** Immutable numbered rows in a `versions` table: the newest one (entity versions, machine definitions). */
export const newestVersion = <R extends Record<string, SqlStorageValue>>(sql: SqlStorage): R | null =>
  sql.exec<R>("SELECT * FROM versions ORDER BY version DESC LIMIT 1").toArray()[0] ?? null;

export const versionRow = <R extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  version: number,
): R | null => sql.exec<R>("SELECT * FROM versions WHERE version = ?", version).toArray()[0] ?? null;
