// JSONata expressions as Step Functions writes them: a string `{% <expression> %}`, with a space
// inside each brace and the expression starting right after the first one (the AWS
// documentation's form, which the shared conformance suite enforces: `{%10%}` and `{% \n10 %}`
// are refused). Multi-line expressions are fine. Compiled expressions are cached: definitions are
// immutable and every state entry evaluates its fields again.

import jsonata from "jsonata";

const WELL_FORMED = /^\{% (?!\s)([\s\S]*) %\}$/;

/** The expression inside `{% … %}`, or undefined for a string that is not one. */
export function expressionOf(value: string): string | undefined {
  return WELL_FORMED.exec(value)?.[1]?.trimEnd();
}

/** A string that starts or ends like an expression: malformed when `expressionOf` says no. */
export const looksLikeExpression = (value: string): boolean => value.startsWith("{%") || value.endsWith("%}");

export type Compiled = { ok: true; expression: jsonata.Expression } | { ok: false; message: string };

const CACHE_LIMIT = 2_000;
const cache = new Map<string, Compiled>();

/** jsonata reports errors as plain objects `{code, message, position, token}`, not Errors. */
export function describeJsonataError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === "string" && typeof message === "string") return `${code}: ${message}`;
    if (typeof message === "string") return message;
  }
  return String(error);
}

export function compileExpression(source: string): Compiled {
  const hit = cache.get(source);
  if (hit) return hit;
  let compiled: Compiled;
  try {
    compiled = { ok: true, expression: jsonata(source) };
  } catch (error) {
    compiled = { ok: false, message: describeJsonataError(error) };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
