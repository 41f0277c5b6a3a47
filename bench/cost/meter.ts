// Counts billable units while an operation runs, by wrapping the storage and KV APIs that every
// Durable Object and the Worker share in this isolate (the vitest pool runs the Worker, its
// objects and the test in one isolate). Test-only: nothing in src/ knows about it.

export interface Units {
  /** RPC calls into Durable Objects, by class and method (each is a billed request). */
  doRequests: Record<string, number>;
  rowsRead: number;
  rowsWritten: number;
  /** Synchronous KV API on SQLite storage (`ctx.storage.kv`), billed as rows; counted inside the row totals too. */
  storageKv: Record<string, number>;
  alarms: Record<string, number>;
  kv: Record<string, number>;
  /** Why each row was written: the SQL statement (or storage.kv key) and how many rows. */
  writes: Record<string, number>;
  /** Why each row was read, the same way. */
  reads: Record<string, number>;
  /** WebCrypto calls (encrypt: a seal, decrypt: an open, digest: a hash). */
  crypto: Record<string, number>;
}

const empty = (): Units => ({
  doRequests: {},
  rowsRead: 0,
  rowsWritten: 0,
  storageKv: {},
  alarms: {},
  kv: {},
  writes: {},
  reads: {},
  crypto: {},
});

let current = empty();
let cursors: { sql: string; cursor: SqlStorageCursor<Record<string, SqlStorageValue>> }[] = [];
const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

type AnyFn = (...args: unknown[]) => unknown;
function wrap(proto: object, name: string, after: (args: unknown[], result: unknown) => void): void {
  const original = (proto as Record<string, AnyFn>)[name];
  if (typeof original !== "function" || (original as { metered?: true }).metered) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    after(args, result);
    return result;
  };
  (wrapped as { metered?: true }).metered = true;
  Object.defineProperty(proto, name, { value: wrapped, configurable: true, writable: true });
}

/** Installs the meters once, given one object's storage and the Worker's KV binding. */
export function install(
  storage: DurableObjectStorage,
  kv: KVNamespace,
  rpc: Record<string, { cls: object; methods: string[] }>,
): void {
  wrap(Object.getPrototypeOf(storage.sql), "exec", (args, cursor) => {
    cursors.push({ sql: String(args[0]), cursor: cursor as (typeof cursors)[number]["cursor"] });
  });
  const kvProto = Object.getPrototypeOf(storage.kv);
  for (const m of ["get", "put", "delete", "list"]) {
    wrap(kvProto, m, (args) => {
      bump(current.storageKv, m);
      if (m === "put" || m === "delete") bump(current.writes, `storage.kv.${m}(${String(args[0])})`);
      if (m === "get") {
        current.rowsRead++;
        bump(current.reads, `storage.kv.get(${String(args[0])})`);
      }
      if (m === "put" || m === "delete") current.rowsWritten++;
    });
  }
  const storageProto = Object.getPrototypeOf(storage);
  for (const m of ["setAlarm", "deleteAlarm", "getAlarm"])
    wrap(storageProto, m, () => bump(current.alarms, m));
  const kvNsProto = Object.getPrototypeOf(kv);
  for (const m of ["get", "getWithMetadata", "put", "delete", "list"])
    wrap(kvNsProto, m, () => bump(current.kv, m));
  const subtle = Object.getPrototypeOf(crypto.subtle);
  for (const m of ["encrypt", "decrypt", "digest", "sign", "importKey", "deriveKey"])
    wrap(subtle, m, () => bump(current.crypto, m));
  for (const [name, { cls, methods }] of Object.entries(rpc)) {
    const proto = (cls as { prototype: object }).prototype;
    for (const m of methods) wrap(proto, m, () => bump(current.doRequests, `${name}.${m}`));
  }
}

/** Runs `op` and returns what it cost, including its waitUntil work (settled by `settle`). */
export async function measure(op: () => Promise<unknown>, settle: () => Promise<void>): Promise<Units> {
  current = empty();
  cursors = [];
  await op();
  await settle();
  for (const { sql, cursor } of cursors) {
    current.rowsRead += cursor.rowsRead;
    current.rowsWritten += cursor.rowsWritten;
    if (cursor.rowsWritten > 0)
      bump(current.writes, sql.replace(/\s+/g, " ").slice(0, 60), cursor.rowsWritten);
    if (cursor.rowsRead > 0) bump(current.reads, sql.replace(/\s+/g, " ").slice(0, 60), cursor.rowsRead);
  }
  const result = current;
  current = empty();
  cursors = [];
  return result;
}
