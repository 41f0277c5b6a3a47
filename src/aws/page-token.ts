// nextToken for the AWS listings: an opaque text that carries the underlying cursor and what it was
// issued for, so a token handed to another listing, another resource or another direction is
// refused with InvalidToken instead of silently paging something else.

import { decodeBase64Url, encodeBase64Url } from "../core/encoding";
import { parseJson } from "../core/json/parse-json";

export interface PageToken {
  /** What the token pages: an action and its resource, e.g. "history:<arn>:reverse". */
  for: string;
  cursor: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export const encodePageToken = (token: PageToken): string =>
  encodeBase64Url(encoder.encode(JSON.stringify([1, token.for, token.cursor])));

/** The cursor, when `text` is a token issued for `issuedFor`; null otherwise. */
export function decodePageToken(text: string, issuedFor: string): string | null {
  const bytes = decodeBase64Url(text);
  if (!bytes) return null;
  let json: string;
  try {
    json = decoder.decode(bytes);
  } catch {
    return null; // not UTF-8: not a token we wrote
  }
  const parsed = parseJson(json);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.length !== 3 || parsed.value[0] !== 1)
    return null;
  const [, issued, cursor] = parsed.value;
  return issued === issuedFor && typeof cursor === "string" ? cursor : null;
}
