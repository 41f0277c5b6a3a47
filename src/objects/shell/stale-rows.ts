// Finding what key rotation must rewrite without decrypting anything: a sealed value names its key
// id in clear (es1.<key id>.…), so rows whose value does not start with the primary's head are the
// ones to re-seal. substr, not LIKE: key ids may hold "_", a LIKE wildcard.
import { fail, ok, type Result } from "../../core/result";
import { SEALED_PREFIX } from "../../crypto/sealed-format";
import type { SealContext } from "../../crypto/sealer";
import type { SealedValues } from "./sealed-values";

export const sealedHead = (keyId: string) => `${SEALED_PREFIX}.${keyId}.`;

/** True when `sealed` is not under `keyId` (a value not in the sealed format at all counts too). */
export const notUnder = (sealed: string, keyId: string) => !sealed.startsWith(sealedHead(keyId));

/**
 * Up to `limit` rows of `table` whose `column` holds a value not sealed under `keyId`, in `order`.
 * Table and column names are the caller's constants, never input.
 */
export function rowsNotUnder<Row extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  query: { table: string; column: string; order: string },
  keyId: string,
  limit: number,
): Row[] {
  const head = sealedHead(keyId);
  const { table, column, order } = query;
  return sql
    .exec<Row>(
      `SELECT * FROM ${table} WHERE ${column} IS NOT NULL AND substr(${column}, 1, ?) != ? ORDER BY ${order} LIMIT ?`,
      head.length,
      head,
      limit,
    )
    .toArray();
}

/** How one kind of stored value is re-sealed. */
export interface ResealSpec<R> {
  value(row: R): string;
  context(row: R): SealContext;
  /** Names the value in a failure ("version 3"). */
  name(row: R): string;
  replace(row: R, sealed: string): void;
}

/** Re-seals `rows` under the primary: the writes for one transaction, or the first failure. */
export async function resealEach<R>(
  sealed: SealedValues,
  rows: R[],
  spec: ResealSpec<R>,
): Promise<Result<(() => void)[]>> {
  const writes: (() => void)[] = [];
  for (const row of rows) {
    const value = spec.value(row);
    const resealed = await sealed.reseal(value, spec.context(row));
    if (!resealed.ok) return fail(resealed.code, `${spec.name(row)}: ${resealed.detail}`);
    const next = resealed.value ?? value;
    writes.push(() => spec.replace(row, next));
  }
  return ok(writes);
}
