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
}
