// Query cursors: the keyset position of the last item of a page (its encoded sort value and id),
// with the index and order it was issued for. A page after it starts strictly past that position,
// so entities written, moved or removed elsewhere in the index never shift what comes next.
import { escapeToken } from "../json/json-pointer";

export interface CursorPosition {
  index: string;
  order: "asc" | "desc";
  sort: Uint8Array;
  id: string;
}

const VERSION = 1;

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function encodeCursor(position: CursorPosition): string {
  const text = JSON.stringify([
    VERSION,
    position.index,
    position.order,
    toBase64Url(position.sort),
    position.id,
  ]);
  return toBase64Url(new TextEncoder().encode(text));
}

/** The position, or a message saying why this is not a cursor of this index and order. */
export function decodeCursor(
  text: string,
  index: string,
  order: "asc" | "desc",
): { ok: true; sort: Uint8Array; id: string } | { ok: false; message: string } {
  const notOurs = { ok: false as const, message: "is not a cursor this service issued" };
  const bytes = fromBase64Url(text);
  if (!bytes) return notOurs;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return notOurs;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5 || parsed[0] !== VERSION) return notOurs;
  const [, forIndex, forOrder, sort, id] = parsed as unknown[];
  if (typeof sort !== "string" || typeof id !== "string" || id === "") return notOurs;
  const sortBytes = fromBase64Url(sort);
  if (!sortBytes) return notOurs;
  if (forIndex !== index) {
    return { ok: false, message: `was issued for index ${escapeToken(String(forIndex))}, not ${index}` };
  }
  if (forOrder !== order)
    return { ok: false, message: `was issued for order ${String(forOrder)}, not ${order}` };
  return { ok: true, sort: sortBytes, id };
}
