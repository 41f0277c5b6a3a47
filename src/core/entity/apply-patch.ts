// Applies a validated patch document (merge or JSON Patch) to a stored document, both JSON text.

import type { JsonValue } from "../json/json-value";
import { MAX_JSON_DEPTH, nestingDepth } from "../json/parse-json";
import { fail, ok, type Result } from "../result";
import type { PatchDocument } from "./contract";
import { applyJsonPatch, parseJsonPatch } from "./json-patch";
import { applyMergePatch } from "./merge-patch";

/**
 * `maxBytes` lets a JSON Patch be refused (413) at the operation that outgrows it; the caller
 * still checks the result's size, which is the rule for both kinds. A merge patch needs no
 * running check: it cannot copy, so its result is at most the document plus the patch.
 */
export function applyPatchDocument(current: string, patch: PatchDocument, maxBytes: number): Result<string> {
  const document = JSON.parse(current) as JsonValue;
  const patchValue = JSON.parse(patch.patch) as JsonValue;
  let next: JsonValue;
  if (patch.kind === "merge") next = applyMergePatch(document, patchValue);
  else {
    const parsed = parseJsonPatch(patchValue);
    if (!parsed.ok) return fail("invalid", "malformed JSON Patch", { errors: parsed.errors });
    const applied = applyJsonPatch(document, parsed.operations, maxBytes);
    if (!applied.ok) return fail(applied.tooLarge ? "payload_too_large" : "patch_failed", applied.message);
    next = applied.document;
  }
  const text = JSON.stringify(next);
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    return fail("patch_failed", `the patched document would be nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return ok(text);
}
