// The platform's storage limits, checked where workerd does not: in production a SQLite-backed
// Durable Object refuses a KV key plus value over 2 MB and any SQL string, BLOB or row over 2 MB,
// but locally none of this is enforced, so a write past it passes every test and fails only in
// production. This walks everything an object stores and names each value or row over the limit.
import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";

/** 2 MB as the platform counts it, in bytes. */
export const STORAGE_LIMIT_BYTES = 2_000_000;

const encoder = new TextEncoder();

/** A stored value's bytes: UTF-8 for text, the bytes of a BLOB, the JSON of what KV structures. */
function bytesOf(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "string") return encoder.encode(value).length;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === "number" || typeof value === "boolean") return 8;
  return encoder.encode(JSON.stringify(value)).length;
}

export interface Oversize {
  where: string;
  bytes: number;
}

/** Every KV entry (key plus value) and every SQL row (and cell) over the limit in `stub`'s storage. */
export function oversizeValues(stub: DurableObjectStub): Promise<Oversize[]> {
  return runInDurableObject(stub, (_instance, state: DurableObjectState) => {
    const found: Oversize[] = [];
    const note = (where: string, bytes: number) => {
      if (bytes > STORAGE_LIMIT_BYTES) found.push({ where, bytes });
    };
    for (const [key, value] of state.storage.kv.list()) note(`kv ${key}`, bytesOf(key) + bytesOf(value));
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
      )
      .toArray();
    for (const { name } of tables) {
      let i = 0;
      for (const row of state.storage.sql.exec(`SELECT * FROM "${name}"`)) {
        let total = 0;
        for (const [column, value] of Object.entries(row)) {
          const bytes = bytesOf(value);
          note(`${name} row ${i} ${column}`, bytes);
          total += bytes;
        }
        note(`${name} row ${i}`, total);
        i++;
      }
    }
    return found;
  });
}

/** Fails the test when `stub` stores anything production would refuse. */
export async function expectWithinStorageLimits(stub: DurableObjectStub): Promise<void> {
  expect(await oversizeValues(stub)).toEqual([]);
}
