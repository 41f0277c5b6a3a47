// RFC 6902 JSON Patch. `parseJsonPatch` checks the patch document's shape (a malformed patch is
// the client's error: 400); `applyJsonPatch` applies it to a copy, so a failing operation (a
// `test` that does not hold, a missing path: 409) leaves the original untouched — atomicity.
import { arrayIndex, parsePointer } from "../json/json-pointer";
import { cloneJson, deepEqual, defineKey, hasOwn, isJsonObject, type JsonValue } from "../json/json-value";

export type PatchOperation =
  | { op: "add" | "replace" | "test"; path: string[]; value: JsonValue }
  | { op: "remove"; path: string[] }
  | { op: "move" | "copy"; path: string[]; from: string[] };

type Problem = { pointer: string; message: string };
export type ParsedPatch = { ok: true; operations: PatchOperation[] } | { ok: false; errors: Problem[] };
export type AppliedPatch = { ok: true; document: JsonValue } | { ok: false; message: string };

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

export function applyJsonPatch(document: JsonValue, operations: PatchOperation[]): AppliedPatch {
  let doc = cloneJson(document);
  for (const [i, operation] of operations.entries()) {
    const outcome = applyOne(doc, operation);
    if (!outcome.ok) return { ok: false, message: `operation ${i} (${operation.op}): ${outcome.message}` };
    doc = outcome.document;
  }
  return { ok: true, document: doc };
}

function applyOne(doc: JsonValue, operation: PatchOperation): AppliedPatch {
  switch (operation.op) {
    case "add":
      return add(doc, operation.path, operation.value);
    case "remove":
      return remove(doc, operation.path);
    case "replace": {
      if (operation.path.length === 0) return { ok: true, document: operation.value };
      const removed = remove(doc, operation.path);
      return removed.ok ? add(removed.document, operation.path, operation.value) : removed;
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
      return found.ok ? add(doc, operation.path, cloneJson(found.document)) : found;
    }
    case "move": {
      const { from, path } = operation;
      if (path.length > from.length && from.every((t, i) => t === path[i])) {
        return { ok: false, message: "cannot move a value into one of its own children" };
      }
      const found = get(doc, from);
      if (!found.ok) return found;
      const removed = remove(doc, from);
      return removed.ok ? add(removed.document, path, found.document) : removed;
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

function add(doc: JsonValue, path: string[], value: JsonValue): AppliedPatch {
  if (path.length === 0) return { ok: true, document: value };
  const found = parentOf(doc, path);
  if (!found.ok) return found;
  const { parent } = found;
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = token === "-" ? parent.length : arrayIndex(token);
    if (index === undefined || index > parent.length)
      return { ok: false, message: `array index "${token}" is out of range` };
    parent.splice(index, 0, value);
  } else if (isJsonObject(parent)) defineKey(parent, token, value);
  else return { ok: false, message: `cannot add "${token}" to a ${typeof parent} value` };
  return { ok: true, document: doc };
}

function remove(doc: JsonValue, path: string[]): AppliedPatch {
  if (path.length === 0) return { ok: false, message: "cannot remove the whole document" };
  const found = parentOf(doc, path);
  if (!found.ok) return found;
  const { parent } = found;
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = arrayIndex(token);
    if (index === undefined || index >= parent.length)
      return { ok: false, message: `array index "${token}" is out of range` };
    parent.splice(index, 1);
  } else if (isJsonObject(parent) && hasOwn(parent, token)) delete parent[token];
  else return { ok: false, message: `path "/${path.join("/")}" does not exist` };
  return { ok: true, document: doc };
}
