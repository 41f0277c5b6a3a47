// A session's writes as pure decisions: from the stored record, the request and `now` to the
// record to store and the outcome to reply. Sealing and storage stay in SessionObject.
import { applyPatchDocument } from "../entity/apply-patch";
import { type Precondition, preconditionHolds } from "../entity/preconditions";
import { type Failure, fail } from "../result";
import type { CreateSessionRequest, SessionAddress, SessionRecord } from "./contract";
import { initialTimes, isLive, type Slide, slide } from "./expiry";

/** One answer for unknown, expired and revoked sessions alike: no oracle. */
export const noSuchSession = () => fail("not_found", "no such session");

export function newSession(
  address: SessionAddress,
  request: CreateSessionRequest,
  now: number,
): SessionRecord {
  const { lifetime } = request;
  return {
    id: address.id,
    tenant: address.tenant,
    subject: request.subject,
    version: 1,
    ...initialTimes(now, lifetime),
    sliding: lifetime.sliding,
    ttl: lifetime.ttl,
    revokedAt: null,
  };
}

/** Why a write to a live session cannot go ahead, or null. */
export function preconditionFailure(record: SessionRecord, precondition: Precondition): Failure | null {
  if (preconditionHolds(record.version, precondition)) return null;
  return fail("precondition_failed", "the session's version does not match the precondition", {
    currentVersion: record.version,
  });
}

export type PatchDecision =
  | { ok: false; failure: Failure }
  | { ok: true; record: SessionRecord; data: string; extend: Slide };

/** A merge patch of a live session's data (plaintext). A write is a use: it slides like a read. */
export function decidePatch(
  record: SessionRecord,
  data: string,
  patch: string,
  now: number,
  maxBodyBytes: number,
): PatchDecision {
  const patched = applyPatchDocument(data, { kind: "merge", patch }, maxBodyBytes);
  if (!patched.ok) return { ok: false, failure: patched };
  if (new TextEncoder().encode(patched.value).byteLength > maxBodyBytes) {
    return {
      ok: false,
      failure: fail("payload_too_large", `the patched data would exceed ${maxBodyBytes} bytes`),
    };
  }
  const extend = slide(record, now);
  return {
    ok: true,
    record: { ...record, version: record.version + 1, expiresAt: extend.expiresAt },
    data: patched.value,
    extend,
  };
}

/** True when the session is over but its record is still stored: the alarm (or the next write) purges it. */
export const hasEnded = (record: SessionRecord, now: number): boolean => !isLive(record, now);
