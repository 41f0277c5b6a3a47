// A page of stored rows goes back from an object over RPC as one value, which workerd limits to
// 32 MiB. Pages are therefore cut by size as well as by count, for every object that pages rows.

/**
 * Sealed text is base64url of the plaintext's UTF-8 (no compression), so it is at least as long as
 * the opened value's structured-clone bytes: 8 Mi of it keeps a page far below 32 MiB.
 */
export const PAGE_SEALED_CHARS = 8 * 1024 * 1024;

/**
 * At most `limit` rows, and past the first no more than `maxChars` of `size`: `more` says whether
 * rows were left. Rows are taken one by one, so a database cursor over `limit + 1` rows is read no
 * further than the page needs.
 */
export function takePage<T>(
  rows: Iterable<T>,
  limit: number,
  size: (row: T) => number,
  maxChars = PAGE_SEALED_CHARS,
): { rows: T[]; more: boolean } {
  const page: T[] = [];
  let chars = 0;
  for (const row of rows) {
    chars += size(row);
    if (page.length === limit || (page.length > 0 && chars > maxChars)) return { rows: page, more: true };
    page.push(row);
  }
  return { rows: page, more: false };
}
