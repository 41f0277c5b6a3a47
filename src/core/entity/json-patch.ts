// RFC 6902 JSON Patch. `parseJsonPatch` checks the patch document's shape (a malformed patch is
// the client's error: 400); `applyJsonPatch` applies it to a copy, so a failing operation (a
// `test` that does not hold, a missing path: 409) leaves the original untouched — atomicity.
import { arrayIndex, parsePointer } from "../json/json-pointer";
import { jsonByteLength, stringBytes } from "../json/json-size";
import {
  cloneJson,
  deepEqual,
  defineKey,
  hasOwn,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from "../json/json-value";

export type PatchOperation =
  | { op: "add" | "replace" | "test"; path: string[]; value: JsonValue }
  | { op: "remove"; path: string[] }
  | { op: "move" | "copy"; path: string[]; from: string[] };

type Problem = { pointer: string; message: string };
export type ParsedPatch = { ok: true; operations: PatchOperation[] } | { ok: false; errors: Problem[] };
/** `tooLarge`: the patched document would exceed the size limit (413, not 409). */
export type AppliedPatch =
  | { ok: true; document: JsonValue }
  | { ok: false; message: string; tooLarge?: boolean };

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

export function parseJsonPatch(doc: JsonValue): ParsedPatch {
  if (!Array.isArray(doc))
    return { ok: false, errors: [{ pointer: "", message: "a JSON Patch is an array of operations" }] };
  const operations: PatchOperation[] = [];
  const errors: Problem[] = [];
  for (const [i, raw] of doc.entries()) {
    const operation = parseOperation(raw, i, errors);
    if (operation) operations.push(operation);
  }
  return errors.length ? { ok: false, errors } : { ok: true, operations };
}

function parseOperation(raw: JsonValue, i: number, errors: Problem[]): PatchOperation | undefined {
  const at = (field?: string) => (field ? `/${i}/${field}` : `/${i}`);
  const refuse = (pointer: string, message: string) => {
    errors.push({ pointer, message });
    return undefined;
  };
  if (!isJsonObject(raw)) return refuse(at(), "an operation is an object");
  const { op } = raw;
  if (typeof op !== "string" || !OPS.has(op)) return refuse(at("op"), `unknown op ${JSON.stringify(op)}`);
  const path = pointerField(raw.path, at("path"), errors);
  if (!path) return undefined;
  if (op === "remove") return { op, path };
  if (op === "move" || op === "copy") {
    const from = pointerField(raw.from, at("from"), errors);
    return from ? { op, path, from } : undefined;
  }
  if (!hasOwn(raw, "value")) return refuse(at("value"), `"${op}" needs a value`);
  return { op: op as "add" | "replace" | "test", path, value: raw.value! };
}

function pointerField(
  value: JsonValue | undefined,
  pointer: string,
  errors: Problem[],
): string[] | undefined {
  if (typeof value !== "string") {
    errors.push({ pointer, message: "must be a JSON Pointer string" });
    return undefined;
  }
  const parsed = parsePointer(value);
  if (!parsed.ok) errors.push({ pointer, message: parsed.message });
  return parsed.ok ? parsed.tokens : undefined;
}

/**
 * Applies `operations` to a copy of `document`. The document's serialized size is kept as it
 * goes (exactly: each operation adds or subtracts what it inserts or takes out), and an operation
 * that would take it past `maxBytes` is refused there, before it is done: a `copy` doubles the
 * document, so a few dozen of them would otherwise build gigabytes before the final size check.
 * This bounds every intermediate document, not only the result (README, Entities). A document
 * already over `maxBytes` (the limit was lowered since it was written) may still shrink.
 */
export function applyJsonPatch(
  document: JsonValue,
  operations: PatchOperation[],
  maxBytes = Number.POSITIVE_INFINITY,
): AppliedPatch {
  let doc = cloneJson(document);
  const bytes = jsonByteLength(doc);
  const size: RunningSize = { bytes, ceiling: Math.max(maxBytes, bytes) };
  for (const [i, operation] of operations.entries()) {
    const outcome = applyOne(doc, operation, size);
    if (!outcome.ok) {
      const message = outcome.tooLarge
        ? `the patched document would exceed ${maxBytes} bytes`
        : outcome.message;
      return { ...outcome, message: `operation ${i} (${operation.op}): ${message}` };
    }
    doc = outcome.document;
  }
  return { ok: true, document: doc };
}

/** The document's serialized bytes so far, and how many it may reach. */
interface RunningSize {
  bytes: number;
  ceiling: number;
}

function applyOne(doc: JsonValue, operation: PatchOperation, size: RunningSize): AppliedPatch {
  switch (operation.op) {
    case "add":
      return add(doc, operation.path, operation.value, size);
    case "remove":
      return remove(doc, operation.path, size);
    case "replace": {
      if (operation.path.length === 0) return add(doc, [], operation.value, size);
      const removed = remove(doc, operation.path, size);
      return removed.ok ? add(removed.document, operation.path, operation.value, size) : removed;
    }
    case "test": {
      const found = get(doc, operation.path);
      if (!found.ok) return found;
      return deepEqual(found.document, operation.value)
        ? { ok: true, document: doc }
        : { ok: false, message: "test failed" };
    }
    case "copy": {
      const found = get(doc, operation.from);
      if (!found.ok) return found;
      // Sized before it is cloned: a copy that cannot fit costs no more than the limit to refuse.
      return add(doc, operation.path, found.document, size, { clone: true });
    }
    case "move": {
      const { from, path } = operation;
      if (path.length > from.length && from.every((t, i) => t === path[i])) {
        return { ok: false, message: "cannot move a value into one of its own children" };
      }
      const found = get(doc, from);
      if (!found.ok) return found;
      // The value leaves one place for another: its own bytes cancel, so it is not sized (a
      // patch of many moves of a large value stays cheap); only keys and commas change. Moved to
      // the root, it becomes the whole document and is sized.
      const valueBytes = path.length === 0 ? jsonByteLength(found.document) : 0;
      const removed = remove(doc, from, size, valueBytes);
      return removed.ok ? add(removed.document, path, found.document, size, { valueBytes }) : removed;
    }
  }
}
/** Walks to the container that holds the last token of `path`. */
function parentOf(
  doc: JsonValue,
  path: string[],
): { ok: true; parent: JsonValue } | { ok: false; message: string } {
  let node = doc;
  for (const token of path.slice(0, -1)) {
    const next = child(node, token);
    if (next === undefined) return { ok: false, message: `path "/${path.join("/")}" does not exist` };
    node = next;
  }
  return { ok: true, parent: node };
}

function child(node: JsonValue, token: string): JsonValue | undefined {
  if (Array.isArray(node)) {
    const index = arrayIndex(token);
    return index === undefined ? undefined : node[index];
  }
  return isJsonObject(node) && hasOwn(node, token) ? node[token] : undefined;
}

function get(doc: JsonValue, path: string[]): AppliedPatch {
  let node: JsonValue | undefined = doc;
  for (const token of path) {
    node = node === undefined ? undefined : child(node, token);
    if (node === undefined) return { ok: false, message: `path "/${path.join("/")}" does not exist` };
  }
  return { ok: true, document: node as JsonValue };
}

/**
 * Inserts `value` at `path` and counts its bytes into `size` (`valueBytes` when the caller knows
 * them), refusing first when the document would outgrow `size.ceiling`.
 */
function add(
  doc: JsonValue,
  path: string[],
  value: JsonValue,
  size: RunningSize,
  how: { clone?: boolean; valueBytes?: number } = {},
): AppliedPatch {
  const found = path.length === 0 ? undefined : parentOf(doc, path);
  if (found && !found.ok) return found;
  const parent = found?.parent;
  const token = path[path.length - 1]!;
  let index = 0;
  // What the document is before the value goes in: the whole of it goes at the root, and an
  // existing member is replaced; otherwise it gains a key (or array slot) and a comma.
  let before = size.bytes;
  if (parent === undefined) before = 0;
  else if (Array.isArray(parent)) {
    index = token === "-" ? parent.length : (arrayIndex(token) ?? -1);
    if (index < 0 || index > parent.length)
      return { ok: false, message: `array index "${token}" is out of range` };
    before += parent.length > 0 ? 1 : 0;
  } else if (isJsonObject(parent)) {
    if (hasOwn(parent, token)) before -= jsonByteLength(parent[token]!);
    else before += stringBytes(token) + 1 + (hasMoreMembersThan(parent, 0) ? 1 : 0);
  } else return { ok: false, message: `cannot add "${token}" to a ${typeof parent} value` };
  const valueBytes = how.valueBytes ?? jsonByteLength(value, size.ceiling - before);
  if (before + valueBytes > size.ceiling) return { ok: false, tooLarge: true, message: "too large" };
  size.bytes = before + valueBytes;
  const inserted = how.clone ? cloneJson(value) : value;
  if (parent === undefined) return { ok: true, document: inserted };
  if (Array.isArray(parent)) parent.splice(index, 0, inserted);
  else defineKey(parent as JsonObject, token, inserted);
  return { ok: true, document: doc };
}

/** Takes the value at `path` out and its bytes off `size` (`valueBytes` when the caller knows them). */
function remove(doc: JsonValue, path: string[], size: RunningSize, valueBytes?: number): AppliedPatch {
  if (path.length === 0) return { ok: false, message: "cannot remove the whole document" };
  const found = parentOf(doc, path);
  if (!found.ok) return found;
  const { parent } = found;
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = arrayIndex(token);
    if (index === undefined || index >= parent.length)
      return { ok: false, message: `array index "${token}" is out of range` };
    size.bytes -= (valueBytes ?? jsonByteLength(parent[index]!)) + (parent.length > 1 ? 1 : 0);
    parent.splice(index, 1);
  } else if (isJsonObject(parent) && hasOwn(parent, token)) {
    const comma = hasMoreMembersThan(parent, 1) ? 1 : 0;
    size.bytes -= (valueBytes ?? jsonByteLength(parent[token]!)) + stringBytes(token) + 1 + comma;
    delete parent[token];
  } else return { ok: false, message: `path "/${path.join("/")}" does not exist` };
  return { ok: true, document: doc };
}

/** Counts members only up to `count`, so an object of many keys costs no more than a small one. */
function hasMoreMembersThan(object: JsonObject, count: number): boolean {
  let seen = 0;
  for (const key in object) if (hasOwn(object, key) && ++seen > count) return true;
  return false;
}
