// A validated transaction body (routes.ts) into the operations participants take: conditions parsed
// as their headers are on single writes, patches checked, the documents' size and depth limits
// applied, and every entity named once. Each refusal points into the body.
import type { z } from "@hono/zod-openapi";
import type { PatchDocument } from "../../../core/entity/contract";
import { documentProblem } from "../../../core/entity/decide";
import { parseJsonPatch } from "../../../core/entity/json-patch";
import { type Precondition, parseEtagList } from "../../../core/entity/preconditions";
import type { JsonValue } from "../../../core/json/json-value";
import type { Operation, OperationCommand } from "../../../core/transactions/contract";
import { badRequest, type FieldError, problem } from "../../problem";
import type { TransactionBody } from "./routes";

type Body = z.infer<typeof TransactionBody>;
type Raw = Body["operations"][number];

/** Where a body is refused: 400 for what is malformed, 413 when a document is only too large. */
interface Refusals {
  invalid: FieldError[];
  tooLarge: FieldError[];
}

export function operationsOf(body: Body, limits: { maxBodyBytes: number }): Operation[] {
  const refusals: Refusals = { invalid: [], tooLarge: [] };
  const errors = refusals.invalid;
  const seen = new Map<string, number>();
  const operations = body.operations.map((raw, i): Operation => {
    const at = (field?: string) => `/operations/${i}${field ? `/${field}` : ""}`;
    const key = `${raw.type}/${raw.id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        pointer: at(),
        message: `operation ${first} already acts on ${key}; one operation per entity`,
      });
    } else seen.set(key, i);
    return { type: raw.type, id: raw.id, command: commandOf(raw, at, refusals, limits) };
  });
  if (errors.length > 0) throw badRequest("the transaction is invalid; nothing was applied", errors);
  if (refusals.tooLarge.length > 0) {
    const detail = "a document in the transaction is too large; nothing was applied";
    throw problem("payload_too_large", detail, { errors: refusals.tooLarge });
  }
  return operations;
}

function commandOf(
  raw: Raw,
  at: (field?: string) => string,
  refusals: Refusals,
  limits: { maxBodyBytes: number },
): OperationCommand {
  const errors = refusals.invalid;
  const precondition = conditionsOf(raw, at, errors);
  switch (raw.op) {
    case "put": {
      if (raw.body === undefined)
        errors.push({ pointer: at("body"), message: "a put needs the document as body" });
      const body = JSON.stringify(raw.body ?? null);
      const refused = documentProblem(body, limits, "the document");
      if (refused && !refused.ok) {
        const list = refused.code === "payload_too_large" ? refusals.tooLarge : errors;
        list.push({ pointer: at("body"), message: refused.detail });
      }
      return { op: "put", body, precondition, ttl: raw.ttl === undefined ? "clear" : { seconds: raw.ttl } };
    }
    case "patch":
      return {
        op: "patch",
        patch: patchOf(raw.patch as JsonValue, raw.patchType ?? "merge", at, errors),
        precondition,
        ttl: raw.ttl === undefined ? "keep" : { seconds: raw.ttl },
      };
    case "delete":
      return { op: "delete", precondition };
    case "check":
      if (precondition.ifMatch === undefined && precondition.ifNoneMatch === undefined) {
        errors.push({
          pointer: at(),
          message: "a check needs ifMatch or ifNoneMatch: it would check nothing",
        });
      }
      return { op: "check", precondition };
  }
}

function conditionsOf(raw: Raw, at: (field?: string) => string, errors: FieldError[]): Precondition {
  const ifMatch = parseEtagList(raw.ifMatch, "ifMatch");
  if (!ifMatch.ok) errors.push({ pointer: at("ifMatch"), message: ifMatch.message });
  const ifNoneMatch = "ifNoneMatch" in raw ? raw.ifNoneMatch : undefined;
  return {
    ...(ifMatch.ok && ifMatch.value !== undefined ? { ifMatch: ifMatch.value } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
  };
}

function patchOf(
  value: JsonValue,
  patchType: "merge" | "json-patch",
  at: (field?: string) => string,
  errors: FieldError[],
): PatchDocument {
  const patch = JSON.stringify(value);
  if (patchType === "merge") return { kind: "merge", patch };
  const parsed = parseJsonPatch(value);
  if (!parsed.ok) {
    for (const e of parsed.errors) errors.push({ pointer: `${at("patch")}${e.pointer}`, message: e.message });
  }
  return { kind: "json", patch };
}
