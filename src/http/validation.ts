// Turning schema failures into problem documents with JSON Pointers, in the house wording: a field
// is named by its pointer and the message says what it must be ("must be at least 60"), whether
// the rule is ours (`.regex(…, "must match …")`) or a library default. One error per pointer.
import { type Hook, z } from "@hono/zod-openapi";
import type { $ZodRawIssue } from "zod/v4/core";
import { toPointer } from "../core/json/json-pointer";
import type { AppEnv } from "./app-env";
import { badRequest, type FieldError } from "./problem";

type RawIssue = $ZodRawIssue;

const KINDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a JSON object",
  array: "an array",
  null: "null",
};

const plural = (n: number | bigint, one: string) => `${n} ${one}${n === 1 || n === 1n ? "" : "s"}`;

/** The message of a rule that gave none of its own. */
export function houseMessage(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const most = issue.code === "too_big";
      const word =
        issue.inclusive === false ? (most ? "less than" : "greater than") : most ? "at most" : "at least";
      if (issue.origin === "string") {
        return !most && Number(bound) === 1
          ? "must not be empty"
          : `must be ${word} ${plural(bound, "character")} long`;
      }
      if (issue.origin === "array" || issue.origin === "set")
        return `must have ${word} ${plural(bound, "item")}`;
      return `must be ${word} ${bound}`;
    }
    case "invalid_format":
      return issue.format === "regex" && issue.pattern
        ? `must match ${issue.pattern}`
        : `must be a valid ${issue.format}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return "is not a known field";
    case "invalid_union":
      return "matches none of the accepted forms";
    default:
      return "is invalid";
  }
}

// Every schema in the Worker speaks the house wording; a rule's own message still comes first.
z.config({ customError: houseMessage });

interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/** Where each validated part of a request lives in a problem's `errors[].pointer`. */
const TARGET_PREFIX: Record<string, string[]> = {
  json: [],
  param: ["path"],
  query: ["query"],
  header: ["headers"],
};

/**
 * One error per pointer (the first rule a field broke says the most), and an unknown field is
 * named by its own pointer (`/foo`), not by the object that holds it.
 */
export function issuesToErrors(issues: readonly Issue[], prefix: string[] = []): FieldError[] {
  const errors = new Map<string, string>();
  const add = (path: readonly PropertyKey[], message: string) => {
    const pointer = toPointer([...prefix, ...path.map((p) => (typeof p === "symbol" ? String(p) : p))]);
    if (!errors.has(pointer)) errors.set(pointer, message);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      for (const key of issue.keys) add([...issue.path, key], "is not a known field");
    } else add(issue.path, issue.message);
  }
  return [...errors].map(([pointer, message]) => ({ pointer, message }));
}

const WHERE: Record<string, string> = {
  json: "the request body is invalid",
  param: "the request path is invalid",
  query: "the query string is invalid",
  header: "the request headers are invalid",
};

/** The defaultHook of every OpenAPI route: invalid params, query, headers or body → 400 problem. */
// biome-ignore lint/suspicious/noExplicitAny: Hook's generics are the library's; this hook serves every route.
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const prefix = TARGET_PREFIX[result.target] ?? [result.target];
  const detail = WHERE[result.target] ?? `the request ${result.target} is invalid`;
  throw badRequest(detail, issuesToErrors(result.error.issues, prefix));
};
