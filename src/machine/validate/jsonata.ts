// JSONata mode is not implemented yet. Rather than reporting dozens of "unknown field Output"
// errors for a JSONata definition, the validator stops at the first sign of it with one clear
// diagnostic. Comments are skipped: they are never evaluated.

import { at } from "./diagnostics.ts";
import { isObject } from "./json.ts";

const EXPRESSION = /^\{%[\s\S]*%\}$/;

export interface JsonataUse {
  pointer: string;
  reason: string;
}

export function findJsonata(value: unknown, pointer = ""): JsonataUse | undefined {
  if (typeof value === "string") {
    return EXPRESSION.test(value.trim())
      ? { pointer, reason: `the JSONata expression ${JSON.stringify(value)}` }
      : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findJsonata(item, at(pointer, index));
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (value.QueryLanguage === "JSONata")
    return { pointer: at(pointer, "QueryLanguage"), reason: 'QueryLanguage "JSONata"' };
  for (const [key, item] of Object.entries(value)) {
    if (key === "Comment") continue;
    const found = findJsonata(item, at(pointer, key));
    if (found) return found;
  }
  return undefined;
}
