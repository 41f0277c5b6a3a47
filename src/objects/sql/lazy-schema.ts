import { migrate } from "./migrations";

/**
 * A schema created on the first write rather than in the constructor, so an object that is only
 * ever read (a probe of a made-up session id, say) stores nothing at all. Objects call `upgrade()`
 * from the constructor (brings an existing schema up to date, creates nothing) and `ensure()`
 * before writing; `ready` tells reads whether there is anything to read.
 */
export class LazySchema {
  private created = false;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly migrations: readonly string[],
  ) {}

  get ready(): boolean {
    return this.created;
  }

  upgrade(): void {
    const exists = this.storage.sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'")
      .toArray().length;
    if (exists) this.ensure();
  }

  ensure(): void {
    if (this.created) return;
    migrate(this.storage, this.migrations);
    this.created = true;
  }

  /** Deletes every stored byte, schema and alarm included. */
  async wipe(): Promise<void> {
    await this.storage.deleteAlarm();
    await this.storage.deleteAll();
    this.created = false;
  }

  /**
   * Deletes every stored byte but the KV key `keep`, in one transaction: `deleteAll` and a put after
   * it are two commits, and an object that dies between them would lose the key it meant to keep.
   */
  async wipeKeeping(keep: string): Promise<void> {
    await this.storage.deleteAlarm();
    this.storage.transactionSync(() => {
      const tables = this.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
        )
        .toArray();
      for (const { name } of tables) this.storage.sql.exec(`DROP TABLE "${name.replaceAll('"', '""')}"`);
      for (const [key] of this.storage.kv.list()) if (key !== keep) this.storage.kv.delete(key);
    });
    this.created = false;
  }
}
