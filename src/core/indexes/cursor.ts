// Query cursors: the keyset position of the last item of a page (its encoded sort value and id),
// with the index and order it was issued for. A page after it starts strictly past that position,
// so entities written, moved or removed elsewhere in the index never shift what comes next.
//
// The position is exact: the whole sort value, however long (as MongoDB since 4.2, an index key
// has no length limit; a value may be as long as a document). So a cursor is as long as the sort
// value it holds: `<sort>.<header>`, each base64url once — about 4/3 of the value, plus ~100
// characters — and the query route takes one up to MAX_CURSOR_CHARS.
import { decodeBase64Url, encodeBase64Url } from "../encoding";
import { LARGEST_MAX_BODY_BYTES } from "../entity/decide";
import { escapeToken } from "../json/json-pointer";

export interface CursorPosition {
  index: string;
  order: "asc" | "desc";
  sort: Uint8Array;
  id: string;
  /**
   * The index's sort pointer (null: id order). An index dropped and defined again under its name
   * may sort by another field, where the old position means nothing: such a cursor is refused
   * rather than silently restarting or skipping. Absent: not bound (a query watch's page).
   */
  sortPointer?: string | null;
}

const VERSION = 2;
/** Version 2 with the sort pointer as a fifth header field. */
const VERSION_BOUND = 3;

/**
 * Room for the longest sort value an index can hold (a string filling a document of the largest
 * size MAX_BODY_BYTES may be set to, so a document stored before the limit was lowered still
 * pages) and a header: the index name and an id of at most 256 characters, JSON-escaped.
 */
export const MAX_CURSOR_CHARS = Math.ceil((LARGEST_MAX_BODY_BYTES * 4) / 3) + 8192;

export const toBase64Url = encodeBase64Url;

export const fromBase64Url = (text: string): Uint8Array | null => decodeBase64Url(text) ?? null;

const utf8 = (text: string) => new TextEncoder().encode(text);

export function encodeCursor(position: CursorPosition): string {
  const { index, order, id, sortPointer } = position;
  const header = JSON.stringify(
    sortPointer === undefined ? [VERSION, index, order, id] : [VERSION_BOUND, index, order, id, sortPointer],
  );
  // The header last: a cursor cut short (a copy-paste) breaks its JSON, and so is refused, where
  // a sort value cut short would still read as some position.
  return `${toBase64Url(position.sort)}.${toBase64Url(utf8(header))}`;
}

/** The position, or a message saying why this is not a cursor of this index and order. */
export function decodeCursor(
  text: string,
  index: string,
  order: "asc" | "desc",
  sortPointer: string | null = null,
): { ok: true; sort: Uint8Array; id: string } | { ok: false; message: string } {
  const position = parsePosition(text);
  if (!position) return { ok: false, message: "is not a cursor this service issued" };
  // Cursors of version 1 and 2 carry no pointer and are taken as before.
  if (position.sortPointer !== undefined && position.sortPointer !== sortPointer) {
    return {
      ok: false,
      message: `was issued for index ${index} when it sorted by ${position.sortPointer ?? "id"}; it sorts by ${sortPointer ?? "id"} now (dropped and defined again): start again without a cursor`,
    };
  }
  if (position.index !== index) {
    return {
      ok: false,
      message: `was issued for index ${escapeToken(String(position.index))}, not ${index}`,
    };
  }
  if (position.order !== order)
    return { ok: false, message: `was issued for order ${String(position.order)}, not ${order}` };
  return { ok: true, sort: position.sort, id: position.id };
}

type Parsed = { index: unknown; order: unknown; sort: Uint8Array; id: string; sortPointer?: string | null };

function parsePosition(text: string): Parsed | null {
  const [sortText, headerText, ...rest] = text.split(".");
  if (headerText === undefined || rest.length > 0) return parseVersion1(text);
  const header = jsonOf(headerText);
  const sort = fromBase64Url(sortText!);
  if (!Array.isArray(header) || !sort) return null;
  const bound = header.length === 5 && header[0] === VERSION_BOUND;
  if (!bound && (header.length !== 4 || header[0] !== VERSION)) return null;
  const [, forIndex, forOrder, id, pointer] = header as unknown[];
  if (typeof id !== "string" || id === "") return null;
  if (!bound) return { index: forIndex, order: forOrder, sort, id };
  if (pointer !== null && typeof pointer !== "string") return null;
  return { index: forIndex, order: forOrder, sort, id, sortPointer: pointer };
}

/**
 * Cursors issued before version 2 (the sort value base64url inside the base64url of the JSON):
 * still read, so a paging under way when the service was upgraded goes on.
 */
function parseVersion1(text: string): Parsed | null {
  const parsed = jsonOf(text);
  if (!Array.isArray(parsed) || parsed.length !== 5 || parsed[0] !== 1) return null;
  const [, forIndex, forOrder, sortText, id] = parsed as unknown[];
  if (typeof sortText !== "string" || typeof id !== "string" || id === "") return null;
  const sort = fromBase64Url(sortText);
  return sort ? { index: forIndex, order: forOrder, sort, id } : null;
}

function jsonOf(base64url: string): unknown {
  const bytes = fromBase64Url(base64url);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
