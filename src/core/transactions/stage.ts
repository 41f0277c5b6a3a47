// What a participant stages for one operation: the same pure decision as a single write of that
// entity (core/entity/decide.ts), so a transaction's put, patch or delete follows exactly the rules
// of its single-request twin; a check only tests its condition against the live version.
import { decideWrite, type EntityLimits, type LiveDocument, type WriteDecision } from "../entity/decide";
import { preconditionHolds } from "../entity/preconditions";
import { fail, ok, type Result } from "../result";
import type { OperationCommand, Prepared } from "./contract";

export interface StageDecision {
  outcome: Result<Prepared>;
  /** The version to store when the transaction commits; absent for a check or a refusal. */
  version?: WriteDecision["version"];
}

export function decideStage(
  live: LiveDocument | null,
  version: number,
  command: OperationCommand,
  now: number,
  limits: EntityLimits,
): StageDecision {
  if (command.op === "check") {
    const seen = live?.version ?? null;
    if (preconditionHolds(seen, command.precondition)) return { outcome: ok({ version: seen }) };
    const current = seen === null ? {} : { currentVersion: seen };
    return {
      outcome: fail("precondition_failed", "the entity's version does not match the check", current),
    };
  }
  const decided = decideWrite(live, version, command, now, limits);
  if (!decided.outcome.ok) return { outcome: decided.outcome };
  const staged = decided.outcome.value.state;
  return { outcome: ok({ version: staged ? staged.version : null }), version: decided.version };
}
