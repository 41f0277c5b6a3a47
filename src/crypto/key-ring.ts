import { decodeBase64 } from "../core/encoding";
import { parseJson } from "../core/json/parse-json";

// The secret ENCRYPTION_KEYS: {"primary":"k2","keys":{"k1":"<base64 of 32 bytes>","k2":"…"}}.
// New seals use the primary; opens accept any key in the ring, so rotation is: add a key, make it
// primary, re-encrypt, and only then drop the old one.
//
// Problems name fields and key ids but never echo key material. Only ids that passed the id rule
// are quoted: a value in the wrong place (a key pasted as an id) is never repeated, and the JSON
// parser's own message is dropped because V8 quotes the input text in it.

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_BYTES = 32; // AES-256

export interface KeyRing {
  /** The key id new seals use. Always present in `keys`. */
  readonly primary: string;
  /** Key id → 32 bytes of key material. A Map, so an accidental JSON.stringify(ring) prints {}. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

export type KeyRingResult = { ok: true; ring: KeyRing } | { ok: false; problem: string };

const SECRET = "ENCRYPTION_KEYS";
const ID_RULE = "[A-Za-z0-9_-]{1,32}";
const SHAPE = `{"primary":"<key id>","keys":{"<key id>":"<base64 of ${KEY_BYTES} bytes>"}}`;

export function parseKeyRing(raw: string | undefined): KeyRingResult {
  if (raw === undefined || raw.trim() === "") return problem(`${SECRET} is not set; expected ${SHAPE}`);

  // The one JSON parser: a key id given twice would otherwise keep its last material silently,
  // and values encrypted under the first would become unreadable. Its messages are not passed on:
  // JSON.parse quotes the text around an error, and that text is key material.
  const json = parseJson(raw);
  if (!json.ok) {
    const twice = json.issues.find((i) => i.kind === "duplicate_key");
    const name = twice?.pointer.split("/").pop() ?? "";
    if (twice) {
      const what = KEY_ID_PATTERN.test(name) ? `"${name}"` : "a field";
      return problem(`${SECRET} names ${what} twice in one object; expected ${SHAPE}`);
    }
    return problem(`${SECRET} is not valid JSON; expected ${SHAPE}`);
  }
  const parsed: unknown = json.value;
  if (!isRecord(parsed)) return problem(`${SECRET} must be a JSON object; expected ${SHAPE}`);

  const problems: string[] = [];
  const unexpected = Object.keys(parsed).filter((field) => field !== "primary" && field !== "keys");
  if (unexpected.length > 0) {
    // Field names are quoted only when they look like names; anything else may be misplaced material.
    const named = unexpected.map((f) => (KEY_ID_PATTERN.test(f) ? `"${f}"` : "(unprintable)"));
    problems.push(`unexpected field(s) ${named.join(", ")}; only "primary" and "keys" are allowed`);
  }

  const declared = new Set<string>();
  const keys = parseKeys(parsed.keys, problems, declared);
  const primary = parsed.primary;
  if (primary === undefined) {
    problems.push(`"primary" is missing`);
  } else if (typeof primary !== "string" || !KEY_ID_PATTERN.test(primary)) {
    problems.push(`"primary" must be a key id matching ${ID_RULE}`);
  } else if (keys !== undefined && !declared.has(primary)) {
    // A declared key with bad material already has its own problem; don't report it twice.
    problems.push(`"primary" names key "${primary}", which is not in "keys"`);
  }

  if (problems.length > 0 || keys === undefined || typeof primary !== "string") {
    return problem(`${SECRET} is malformed: ${problems.join("; ")}`);
  }
  return { ok: true, ring: { primary, keys } };
}

function parseKeys(
  value: unknown,
  problems: string[],
  declared: Set<string>,
): Map<string, Uint8Array> | undefined {
  if (value === undefined) {
    problems.push(`"keys" is missing`);
    return undefined;
  }
  if (!isRecord(value)) {
    problems.push(`"keys" must be an object of key id → base64 key`);
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    problems.push(`"keys" is empty`);
    return undefined;
  }
  const keys = new Map<string, Uint8Array>();
  entries.forEach(([id, material], index) => {
    if (!KEY_ID_PATTERN.test(id)) {
      problems.push(`key id #${index + 1} in "keys" is invalid: key ids must match ${ID_RULE}`);
      return;
    }
    declared.add(id);
    const bytes = typeof material === "string" ? decodeBase64(material) : undefined;
    if (bytes === undefined) {
      problems.push(`key "${id}" is not base64 of exactly ${KEY_BYTES} bytes (not a base64 string)`);
    } else if (bytes.length !== KEY_BYTES) {
      problems.push(
        `key "${id}" is not base64 of exactly ${KEY_BYTES} bytes (it decodes to ${bytes.length})`,
      );
    } else if (bytes.every((b) => b === bytes[0])) {
      // An all-equal key ("AAAA…=") is a placeholder, never generated randomly.
      problems.push(`key "${id}" is a placeholder (every byte is the same); generate a random key`);
    } else {
      keys.set(id, bytes);
    }
  });
  return keys;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function problem(text: string): KeyRingResult {
  return { ok: false, problem: text };
}
