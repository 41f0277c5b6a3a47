import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/core/session/contract";
import {
  DEFAULT_ABSOLUTE_TTL_SECONDS,
  DEFAULT_TTL_SECONDS,
  initialTimes,
  isLive,
  resolveLifetime,
  slide,
} from "../../src/core/session/expiry";

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const ttl = overrides.ttl ?? 3600;
  const times = initialTimes(T0, { ttl, absoluteTtl: 86_400, sliding: true });
  return {
    id: "ses_x",
    tenant: "t",
    subject: null,
    version: 1,
    ...times,
    sliding: true,
    ttl,
    revokedAt: null,
    ...overrides,
  };
}

describe("resolveLifetime", () => {
  it("defaults ttl to an hour, absoluteTtl to 30 days and sliding to true", () => {
    expect(resolveLifetime({})).toEqual({
      ok: true,
      value: { ttl: DEFAULT_TTL_SECONDS, absoluteTtl: DEFAULT_ABSOLUTE_TTL_SECONDS, sliding: true },
    });
    expect(DEFAULT_TTL_SECONDS).toBe(3600);
    expect(DEFAULT_ABSOLUTE_TTL_SECONDS).toBe(2_592_000);
  });

  it("accepts ttl from 60 to 2592000", () => {
    expect(resolveLifetime({ ttl: 60 }).ok).toBe(true);
    expect(resolveLifetime({ ttl: 2_592_000 }).ok).toBe(true);
    expect(resolveLifetime({ ttl: 59 }).ok).toBe(false);
    expect(resolveLifetime({ ttl: 2_592_001 }).ok).toBe(false);
  });

  it("refuses absoluteTtl below ttl, pointing at /absoluteTtl", () => {
    const result = resolveLifetime({ ttl: 600, absoluteTtl: 599 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("invalid");
      expect(result.errors).toEqual([{ pointer: "/absoluteTtl", message: "must be at least ttl (600)" }]);
    }
  });

  it("accepts absoluteTtl equal to ttl", () => {
    expect(resolveLifetime({ ttl: 600, absoluteTtl: 600 }).ok).toBe(true);
  });
});

describe("initialTimes", () => {
  it("expires after ttl and caps the whole life at absoluteTtl", () => {
    expect(initialTimes(T0, { ttl: 60, absoluteTtl: 120, sliding: true })).toEqual({
      createdAt: T0,
      expiresAt: T0 + 60 * S,
      absoluteExpiresAt: T0 + 120 * S,
      extendedAt: T0,
    });
  });
});

describe("isLive", () => {
  it("is live strictly before expiresAt, and never once revoked", () => {
    const r = record();
    expect(isLive(r, r.expiresAt - 1)).toBe(true);
    expect(isLive(r, r.expiresAt)).toBe(false);
    expect(isLive({ ...r, revokedAt: T0 }, T0 + 1)).toBe(false);
  });
});

describe("slide", () => {
  it("does not store an extension before a tenth of ttl has passed", () => {
    const r = record({ ttl: 1000 });
    expect(slide(r, T0 + 99 * S)).toEqual({ expiresAt: r.expiresAt, persist: false });
  });

  it("stores now + ttl once a tenth of ttl has passed since the last stored extension", () => {
    const r = record({ ttl: 1000 });
    expect(slide(r, T0 + 100 * S)).toEqual({ expiresAt: T0 + 1100 * S, persist: true });
    const extended = { ...r, expiresAt: T0 + 1100 * S, extendedAt: T0 + 100 * S };
    expect(slide(extended, T0 + 150 * S).persist).toBe(false);
    expect(slide(extended, T0 + 200 * S)).toEqual({ expiresAt: T0 + 1200 * S, persist: true });
  });

  it("never extends past absoluteExpiresAt", () => {
    const r = record({ ttl: 3600, absoluteExpiresAt: T0 + 4000 * S });
    expect(slide(r, T0 + 3000 * S)).toEqual({ expiresAt: T0 + 4000 * S, persist: true });
    const capped = { ...r, expiresAt: T0 + 4000 * S, extendedAt: T0 + 3000 * S };
    expect(slide(capped, T0 + 3900 * S)).toEqual({ expiresAt: T0 + 4000 * S, persist: false });
    expect(isLive(capped, T0 + 4000 * S)).toBe(false);
  });

  it("never moves a non-sliding, expired or revoked session", () => {
    const r = record({ ttl: 1000 });
    expect(slide({ ...r, sliding: false }, T0 + 500 * S).persist).toBe(false);
    expect(slide(r, r.expiresAt).persist).toBe(false);
    expect(slide({ ...r, revokedAt: T0 }, T0 + 500 * S).persist).toBe(false);
  });
});
