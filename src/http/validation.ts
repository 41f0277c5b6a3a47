// Turning schema failures into problem documents with JSON Pointers, and documenting bodies that
// routes read themselves.
import type { Hook } from "@hono/zod-openapi";
import { toPointer } from "../core/json/json-pointer";
import type { AppEnv } from "./app-env";
import { badRequest } from "./problem";

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** Where each validated part of a request lives in a problem's `errors[].pointer`. */
const TARGET_PREFIX: Record<string, string[]> = {
  json: [],
  param: ["path"],
  query: ["query"],
  header: ["headers"],
};

export function issuesToErrors(issues: readonly Issue[], prefix: string[] = []) {
  return issues.map((issue) => ({
    pointer: toPointer([...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))]),
    message: issue.message,
  }));
}

/** The defaultHook of every OpenAPI route: invalid params, query, headers or body → 400 problem. */
// biome-ignore lint/suspicious/noExplicitAny: Hook's generics are the library's; this hook serves every route.
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const prefix = TARGET_PREFIX[result.target] ?? [result.target];
  const where = result.target === "json" ? "body" : result.target === "param" ? "path" : result.target;
  throw badRequest(`the request ${where} is invalid`, issuesToErrors(result.error.issues, prefix));
};
