// SQL for one execution: its history events, sealed one by one, in id order. The snapshot, the
// definition copy and the metadata live in the object's synchronous KV; all of them are written in
// one transactionSync per batch by ExecutionObject.
import { migrate } from "./sql/migrations";

export type EventRow = {
  id: number;
  /** Sealed JSON text of the whole event. */
  body: string;
};

const MIGRATIONS = [`CREATE TABLE history (id INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL)`];

export class ExecutionStore {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  migrate(): void {
    migrate(this.storage, MIGRATIONS);
  }

  insert(id: number, type: string, body: string): void {
    this.sql.exec("INSERT OR REPLACE INTO history (id, type, body) VALUES (?, ?, ?)", id, type, body);
  }

  page(after: number, limit: number): EventRow[] {
    return this.sql
      .exec<EventRow>("SELECT id, body FROM history WHERE id > ? ORDER BY id LIMIT ?", after, limit)
      .toArray();
  }
}
