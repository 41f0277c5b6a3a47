// RFC 6901 JSON Pointer: parsing and escaping. Used by JSON Patch and by problem `errors[].pointer`.

export type PointerResult = { ok: true; tokens: string[] } | { ok: false; message: string };

export function parsePointer(pointer: string): PointerResult {
  if (pointer === "") return { ok: true, tokens: [] };
  if (!pointer.startsWith("/"))
    return { ok: false, message: `JSON Pointer "${pointer}" must start with "/"` };
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split("/")) {
    // "~" must be followed by 0 or 1; anything else is not a valid escape.
    if (/~(?![01])/.test(raw))
      return { ok: false, message: `JSON Pointer "${pointer}" has an invalid "~" escape` };
    tokens.push(raw.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  return { ok: true, tokens };
}

export const escapeToken = (token: string | number): string =>
  String(token).replaceAll("~", "~0").replaceAll("/", "~1");

export const toPointer = (tokens: readonly (string | number)[]): string =>
  tokens.map((t) => `/${escapeToken(t)}`).join("");

/** An array index token: "0" or a number without leading zeros. "-" is handled by callers. */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
