// Session lifetimes: pure arithmetic on epoch milliseconds, with `now` always passed in (an
// injected clock in the objects), so tests move time instead of sleeping.
import { fail, ok, type Result } from "../result";
import type { SessionLifetime, SessionRecord } from "./contract";

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 2_592_000;
export const DEFAULT_TTL_SECONDS = 3_600;
export const DEFAULT_ABSOLUTE_TTL_SECONDS = 2_592_000;
/** The same ceiling as an entity's TTL: a session can never outlive a year. */
export const MAX_ABSOLUTE_TTL_SECONDS = 31_536_000;
/** A sliding extension is stored only once this fraction of `ttl` has passed since the last one. */
export const EXTENSION_STEP_DIVISOR = 10;

export interface LifetimeInput {
  ttl?: number | undefined;
  absoluteTtl?: number | undefined;
  sliding?: boolean | undefined;
}

/** Defaults applied, then the rule the schema cannot express alone: `absoluteTtl` ≥ `ttl`. */
export function resolveLifetime(input: LifetimeInput): Result<SessionLifetime> {
  const ttl = input.ttl ?? DEFAULT_TTL_SECONDS;
  const absoluteTtl = input.absoluteTtl ?? DEFAULT_ABSOLUTE_TTL_SECONDS;
  const errors: { pointer: string; message: string }[] = [];
  if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
    errors.push({ pointer: "/ttl", message: `must be from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}` });
  }
  if (!Number.isInteger(absoluteTtl) || absoluteTtl > MAX_ABSOLUTE_TTL_SECONDS) {
    errors.push({ pointer: "/absoluteTtl", message: `must be at most ${MAX_ABSOLUTE_TTL_SECONDS}` });
  } else if (absoluteTtl < ttl) {
    errors.push({ pointer: "/absoluteTtl", message: `must be at least ttl (${ttl})` });
  }
  if (errors.length) return fail("invalid", "the session lifetime is invalid", { errors });
  return ok({ ttl, absoluteTtl, sliding: input.sliding ?? true });
}

export interface InitialTimes {
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  extendedAt: number;
}

export function initialTimes(now: number, lifetime: SessionLifetime): InitialTimes {
  const absoluteExpiresAt = now + lifetime.absoluteTtl * 1000;
  const expiresAt = Math.min(now + lifetime.ttl * 1000, absoluteExpiresAt);
  return { createdAt: now, expiresAt, absoluteExpiresAt, extendedAt: now };
}

/** Live means not revoked and not yet expired: `expiresAt` itself is already too late. */
export const isLive = (
  r: Pick<SessionRecord, "revokedAt" | "expiresAt" | "absoluteExpiresAt">,
  now: number,
): boolean => r.revokedAt === null && now < r.expiresAt && now < r.absoluteExpiresAt;

export interface Slide {
  /** The expiry to report: the stored one unless `persist`, then the extended one. */
  expiresAt: number;
  /** True when the extension should be written (and `extendedAt` moved to now). */
  persist: boolean;
}

/**
 * A use of a live sliding session moves its expiry to now + ttl, never past the absolute cap. To
 * spare writes the move is stored only once ttl/10 has passed since the last stored one; until
 * then the stored expiry stands (it is at most ttl/10 earlier than the ideal one, never later),
 * and that stored expiry is what replies report, so a client never sees a time the session will
 * not honour.
 */
export function slide(r: SessionRecord, now: number): Slide {
  const stay = { expiresAt: r.expiresAt, persist: false };
  if (!r.sliding || !isLive(r, now)) return stay;
  const target = Math.min(now + r.ttl * 1000, r.absoluteExpiresAt);
  if (target <= r.expiresAt) return stay;
  const step = (r.ttl * 1000) / EXTENSION_STEP_DIVISOR;
  if (now - r.extendedAt < step) return stay;
  return { expiresAt: target, persist: true };
}
