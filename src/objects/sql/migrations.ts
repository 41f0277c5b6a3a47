// Schema versions for SQLite-backed Durable Objects. `PRAGMA user_version` is not allowed there,
// so the applied version lives in a table of its own. Call from the constructor inside
// blockConcurrencyWhile: no request is delivered until the schema is current.

export function migrate(storage: DurableObjectStorage, migrations: readonly string[]): void {
  const sql = storage.sql;
  sql.exec(
    "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const current = sql.exec<{ v: number }>("SELECT COALESCE(MAX(version), 0) AS v FROM _migrations").one().v;
  for (let v = current + 1; v <= migrations.length; v++) {
    storage.transactionSync(() => {
      sql.exec(migrations[v - 1]!);
      sql.exec("INSERT INTO _migrations (version, applied_at) VALUES (?, ?)", v, Date.now());
    });
  }
}
