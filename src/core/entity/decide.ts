// The document rules of one entity, as one pure decision: from the live document, the request,
// the time and the limits to the version to store (if any) and the outcome to reply. Expiry,
// version numbering, preconditions, patching and size and depth limits all live here, so every
// path that writes an entity (HTTP, an execution's entity task) gets the same rules.
import { MAX_JSON_DEPTH, nestingDepth } from "../json/parse-json";
import { fail, ok } from "../result";
import { applyPatchDocument } from "./apply-patch";
import type { EntityOp, EntityState, PatchDocument, TtlChange, WriteOutcome } from "./contract";
import { type Precondition, preconditionHolds } from "./preconditions";

/** The most MAX_BODY_BYTES may be set to (config.ts): no stored document is larger. */
export const LARGEST_MAX_BODY_BYTES = 1_048_576;

export interface EntityLimits {
  /** Largest stored document, in UTF-8 bytes (MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

/** The live document as the decision needs it; `body` is plaintext, present when a patch needs it. */
export interface LiveDocument {
  version: number;
  expiresAt: number | null;
  body?: string;
}

export type WriteCommand =
  | { op: "put"; body: string; ttl: TtlChange; precondition: Precondition }
  | { op: "patch"; patch: PatchDocument; ttl: TtlChange; precondition: Precondition }
  | { op: "delete"; precondition: Precondition };

/** A version to store: `body` in plaintext (the object seals it), null for a delete's tombstone. */
export interface NewVersion {
  version: number;
  op: EntityOp;
  at: number;
  expiresAt: number | null;
  body: string | null;
}

export interface WriteDecision {
  outcome: WriteOutcome;
  /** Absent when the request is refused: nothing is stored but its idempotency record. */
  version?: NewVersion;
}

/** `expiresAt` itself is already too late. */
export const isExpired = (expiresAt: number | null, now: number): boolean =>
  expiresAt !== null && expiresAt <= now;

export function nextExpiry(ttl: TtlChange, current: number | null, now: number): number | null {
  if (ttl === "clear") return null;
  if (ttl === "keep") return current;
  return now + ttl.seconds * 1000;
}

/**
 * Versions never restart — not after a delete (its tombstone keeps the number), not after expiry
 * (the purge keeps the counter) — so a stale ETag can never match a re-created entity.
 */
export const nextVersion = (newestKept: number | null, purged: number): number =>
  Math.max(newestKept ?? 0, purged) + 1;

/** Size and depth limits of a stored document, whichever path writes it. */
export function documentProblem(body: string, limits: EntityLimits, what: string): WriteOutcome | null {
  if (new TextEncoder().encode(body).byteLength > limits.maxBodyBytes) {
    return fail("payload_too_large", `${what} would exceed ${limits.maxBodyBytes} bytes`);
  }
  if (nestingDepth(body) > MAX_JSON_DEPTH) {
    return fail("invalid", `${what} would be nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return null;
}

export function decideWrite(
  live: LiveDocument | null,
  version: number,
  command: WriteCommand,
  now: number,
  limits: EntityLimits,
): WriteDecision {
  if (!preconditionHolds(live?.version ?? null, command.precondition)) {
    const current = live ? { currentVersion: live.version } : {};
    return {
      outcome: fail("precondition_failed", "the entity's version does not match the precondition", current),
    };
  }
  if (command.op === "delete") {
    if (!live) return { outcome: fail("not_found", "no such entity") };
    const tombstone = { version, op: "delete" as const, at: now, expiresAt: null, body: null };
    return { outcome: ok({ state: null, created: false, deletedVersion: version }), version: tombstone };
  }
  let body: string;
  if (command.op === "put") {
    body = command.body;
    const problem = documentProblem(body, limits, "the document");
    if (problem) return { outcome: problem };
  } else {
    if (!live || live.body === undefined) return { outcome: fail("not_found", "no such entity") };
    const patched = applyPatchDocument(live.body, command.patch, limits.maxBodyBytes);
    if (!patched.ok) return { outcome: patched };
    body = patched.value;
    if (new TextEncoder().encode(body).byteLength > limits.maxBodyBytes) {
      return {
        outcome: fail("payload_too_large", `the patched document would exceed ${limits.maxBodyBytes} bytes`),
      };
    }
  }
  const expiresAt = nextExpiry(command.ttl, live?.expiresAt ?? null, now);
  const state: EntityState = { version, body, updatedAt: now, expiresAt };
  return {
    outcome: ok({ state, created: live === null }),
    version: { version, op: command.op, at: now, expiresAt, body },
  };
}
