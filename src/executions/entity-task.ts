// `edgestate:entity:get|put|patch|delete`: built-in integrations with the execution's own tenant's
// entities (as Step Functions' DynamoDB ones). Parameters {Type, Id, Body?, IfMatch?}. Writes carry
// the task's idempotency key to the EntityObject, so a write repeated after a crash is replayed,
// never applied twice. Failures are named errors: Edgestate.NotFound, Edgestate.PreconditionFailed,
// Edgestate.PatchFailed, Edgestate.PayloadTooLarge, Edgestate.InvalidParameters,
// Edgestate.TransactionConflict (a transaction held the entity), Edgestate.Unavailable.
import type { EntityAddress, EntityApi, EntityState, WriteReply } from "../core/entity/contract";
import type { Precondition } from "../core/entity/preconditions";
import { ENTITY_ID, ENTITY_TYPE } from "../core/names";
import type { ErrorCode, Failure } from "../core/result";
import { idempotencyDigests } from "../crypto/idempotency-digests";
import type { JsonValue } from "../machine/engine.ts";
import type { EntityAction } from "./resources";
import { failed, isObject, succeeded, type TaskOutcome } from "./task-outcome";

const ERROR_NAMES: Partial<Record<ErrorCode, string>> = {
  not_found: "Edgestate.NotFound",
  precondition_failed: "Edgestate.PreconditionFailed",
  patch_failed: "Edgestate.PatchFailed",
  payload_too_large: "Edgestate.PayloadTooLarge",
  invalid: "Edgestate.InvalidParameters",
  conflict: "Edgestate.Conflict",
  transaction_conflict: "Edgestate.TransactionConflict",
};

const invalid = (cause: string) => failed("Edgestate.InvalidParameters", cause);
const fromFailure = (f: Failure): TaskOutcome =>
  failed(ERROR_NAMES[f.code] ?? "Edgestate.Unavailable", f.detail);

export async function invokeEntity(
  entity: (address: EntityAddress) => EntityApi,
  tenant: string,
  action: EntityAction,
  parameters: JsonValue,
  idempotencyKey: string,
): Promise<TaskOutcome> {
  if (!isObject(parameters)) return invalid("Parameters must be an object with Type and Id");
  const { Type, Id, Body, IfMatch } = parameters;
  if (typeof Type !== "string" || !ENTITY_TYPE.test(Type))
    return invalid(`Type must match ${ENTITY_TYPE.source}`);
  if (typeof Id !== "string" || !ENTITY_ID.test(Id) || Id === "." || Id === "..") {
    return invalid(`Id must match ${ENTITY_ID.source}`);
  }
  const ifMatch = parseIfMatch(IfMatch);
  if (ifMatch === null) return invalid('IfMatch must be "*", a version number or an ETag such as "\\"3\\""');
  const address: EntityAddress = { tenant, type: Type, id: Id };
  const stub = entity(address);
  const precondition: Precondition = ifMatch === undefined ? {} : { ifMatch };
  const named = { Type, Id };

  if (action === "get") {
    const read = await stub.get(address);
    if (!read.ok) return fromFailure(read);
    if (ifMatch !== undefined && ifMatch !== "*" && !ifMatch.includes(read.value.version)) {
      return failed("Edgestate.PreconditionFailed", "the entity's version does not match IfMatch");
    }
    return succeeded({ ...named, ...stateOf(read.value) });
  }

  if ((action === "put" || action === "patch") && Body === undefined)
    return invalid(`${action} needs a Body`);
  if (action === "patch" && !isObject(Body))
    return invalid("patch needs a Body that is a JSON merge patch object");
  const write = {
    precondition,
    requestId: `task:${idempotencyKey}`,
    // Digests like a client's key (core/idempotency.ts), in the task domain, so a task's key never
    // meets a client's Idempotency-Key on the same entity; the fingerprint is salted with the key.
    idempotency: await idempotencyDigests(
      "task",
      idempotencyKey,
      JSON.stringify([action, Type, Id, Body ?? null, IfMatch ?? null]),
    ),
  };
  let reply: WriteReply;
  if (action === "put")
    reply = await stub.put(address, { ...write, body: JSON.stringify(Body), ttl: "clear" });
  else if (action === "patch") {
    reply = await stub.patch(address, {
      ...write,
      patch: { kind: "merge", patch: JSON.stringify(Body) },
      ttl: "keep",
    });
  } else reply = await stub.delete(address, write);
  const outcome = reply.outcome;
  if (!outcome.ok) return fromFailure(outcome);
  if (action === "delete") return succeeded({ ...named, Deleted: true });
  const state = outcome.value.state;
  if (!state) return failed("Edgestate.Unavailable", "the write returned no document");
  return succeeded({
    ...named,
    ...stateOf(state),
    ...(action === "put" ? { Created: outcome.value.created } : {}),
  });
}

function stateOf(state: EntityState): { [key: string]: JsonValue } {
  return {
    Version: state.version,
    ETag: `"${state.version}"`,
    Body: JSON.parse(state.body) as JsonValue,
    UpdatedAt: new Date(state.updatedAt).toISOString(),
    ...(state.expiresAt === null ? {} : { ExpiresAt: new Date(state.expiresAt).toISOString() }),
  };
}

/** undefined = no precondition; null = malformed. */
function parseIfMatch(value: JsonValue | undefined): "*" | number[] | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? [value] : null;
  if (typeof value !== "string") return null;
  if (value.trim() === "*") return "*";
  const match = /^\s*"?([1-9][0-9]{0,14})"?\s*$/.exec(value);
  return match ? [Number(match[1])] : null;
}
