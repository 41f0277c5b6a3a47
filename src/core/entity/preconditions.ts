// HTTP conditional requests (RFC 9110 §13) over integer entity versions. ETags are strong:
// `"<version>"`. The Worker parses headers into a Precondition; the object evaluates it against
// the version it holds, inside the same serialized write, so the check and the write are atomic.

export interface Precondition {
  /** `*` or the list of acceptable versions. */
  ifMatch?: "*" | number[];
  /** Only `*` is meaningful on writes: create only. */
  ifNoneMatch?: "*";
}

export type HeaderParse<T> = { ok: true; value: T | undefined } | { ok: false; message: string };

export const etagOf = (version: number): string => `"${version}"`;

/**
 * Parses `*` or a comma-separated list of ETags such as `"3", W/"4"`. A weak ETag is valid syntax
 * (caches and compressing proxies weaken ours), but under strong comparison (If-Match) it never
 * matches; If-None-Match uses weak comparison, where `W/"4"` matches version 4 (RFC 9110 §8.8.3.2).
 */
export function parseEtagList(
  header: string | undefined,
  name: string,
  comparison: "strong" | "weak" = "strong",
): HeaderParse<"*" | number[]> {
  if (header === undefined) return { ok: true, value: undefined };
  const trimmed = header.trim();
  if (trimmed === "*") return { ok: true, value: "*" };
  const versions: number[] = [];
  // A list may hold empty elements ("1", , "2"), which a recipient must accept (RFC 9110 §5.6.1.2).
  const parts = trimmed.split(",").filter((part) => part.trim() !== "");
  if (parts.length === 0) return { ok: false, message: `${name} must be * or a list of ETags like "3"` };
  for (const part of parts) {
    const match = /^\s*(W\/)?"([1-9][0-9]{0,14})"\s*$/.exec(part);
    if (!match) return { ok: false, message: `${name} must be * or a list of ETags like "3"` };
    if (match[1] === undefined || comparison === "weak") versions.push(Number(match[2]));
  }
  return { ok: true, value: versions };
}

/** Failed preconditions are 412; `current` is the live version, or null when the entity does not exist. */
export function preconditionHolds(current: number | null, pre: Precondition): boolean {
  if (pre.ifMatch !== undefined) {
    if (current === null) return false;
    if (pre.ifMatch !== "*" && !pre.ifMatch.includes(current)) return false;
  }
  if (pre.ifNoneMatch === "*" && current !== null) return false;
  return true;
}

/** GET: `If-None-Match` matching the current version → 304 Not Modified. */
export function notModified(current: number, ifNoneMatch: "*" | number[] | undefined): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch === "*" || ifNoneMatch.includes(current);
}
