// RFC 7396 JSON Merge Patch. Pure: returns a new document and never mutates its inputs.
import { defineKey, isJsonObject, type JsonObject, type JsonValue } from "../json/json-value";

export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = {};
  if (isJsonObject(target)) for (const key of Object.keys(target)) defineKey(result, key, target[key]!);
  for (const key of Object.keys(patch)) {
    const value = patch[key]!;
    if (value === null) delete result[key];
    else defineKey(result, key, applyMergePatch(result[key], value));
  }
  return result;
}
