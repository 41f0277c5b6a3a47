// Content-Type as RFC 9110 §8.3.1 writes it: `type/subtype *( OWS ";" OWS name=value )`, names
// case-insensitive, values a token or a quoted string. "application/json ; charset=UTF-8" and
// 'application/json;charset="utf-8"' are the same media type.

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  essence: string;
  /** Parameter names lower-cased; values as sent (quotes and escapes removed). */
  params: Map<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const ESSENCE = new RegExp(`^(${TOKEN})/(${TOKEN})`);
const PARAM = new RegExp(`^[ \\t]*;[ \\t]*(?:(${TOKEN})=(${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))?`);

/** The parsed media type, or null when the header is malformed (or names a parameter twice). */
export function parseMediaType(header: string): MediaType | null {
  let rest = header.trim();
  const head = ESSENCE.exec(rest);
  if (!head) return null;
  const essence = `${head[1]}/${head[2]}`.toLowerCase();
  const params = new Map<string, string>();
  rest = rest.slice(head[0].length);
  while (rest.length > 0) {
    const param = PARAM.exec(rest);
    if (!param) return null;
    rest = rest.slice(param[0].length);
    const [, name, raw] = param;
    if (name === undefined || raw === undefined) continue; // an empty parameter ("a/b;;c=d") is allowed
    const key = name.toLowerCase();
    if (params.has(key)) return null;
    params.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return { essence, params };
}

/** application/json and every structured-syntax `+json` type (RFC 6839). */
export const isJsonMediaType = (essence: string): boolean =>
  essence === "application/json" || /^application\/[^/]+\+json$/.test(essence);
