// What an index sees of a document: the values at its key pointers and at its sort pointer. A
// document that lacks one of them, or holds an array or object there, is not in the index (a
// sparse index, as in DynamoDB).
import { arrayIndex, parsePointer } from "../json/json-pointer";
import { isJsonObject, type JsonValue } from "../json/json-value";
import type { IndexDefinition } from "./definition";
import { isScalar, type JsonScalar } from "./scalar";

export interface Projection {
  keys: JsonScalar[];
  /** Absent for an index without a sort pointer. */
  sort?: JsonScalar;
}

/** The value at `pointer`, or undefined when the document has nothing there. Own properties only. */
export function valueAt(doc: JsonValue, pointer: string): JsonValue | undefined {
  const parsed = parsePointer(pointer);
  if (!parsed.ok) return undefined;
  let here: JsonValue = doc;
  for (const token of parsed.tokens) {
    if (Array.isArray(here)) {
      const i = arrayIndex(token);
      if (i === undefined || i >= here.length) return undefined;
      here = here[i]!;
    } else if (isJsonObject(here) && Object.hasOwn(here, token)) {
      here = here[token]!;
    } else return undefined;
  }
  return here;
}

/** The document's entry in the index, or null when it is not in it. */
export function project(doc: JsonValue, definition: IndexDefinition): Projection | null {
  const keys: JsonScalar[] = [];
  for (const pointer of definition.keys) {
    const value = valueAt(doc, pointer);
    if (!isScalar(value)) return null;
    keys.push(value);
  }
  if (definition.sort === null) return { keys };
  const sort = valueAt(doc, definition.sort);
  return isScalar(sort) ? { keys, sort } : null;
}
