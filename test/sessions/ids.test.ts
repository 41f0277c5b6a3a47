import { describe, expect, it } from "vitest";
import { derivedSessionId, newSessionId, SESSION_ID } from "../../src/crypto/session-id";

const hmacKey = (byte: number) =>
  crypto.subtle.importKey("raw", new Uint8Array(32).fill(byte), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);

describe("session ids", () => {
  it("are ses_ and 256 random bits in base64url", () => {
    const id = newSessionId();
    expect(id).toMatch(SESSION_ID);
    expect(id).toHaveLength(4 + 43);
    expect(newSessionId()).not.toBe(id);
    expect(newSessionId((b) => b.fill(0xff))).toBe(`ses_${"_".repeat(42)}8`);
  });

  it("derive the same id from the same tenant and key, and differ across tenants, keys and secrets", async () => {
    const key = await hmacKey(1);
    const a = await derivedSessionId(key, "acme", "login-1");
    expect(a).toMatch(SESSION_ID);
    expect(await derivedSessionId(key, "acme", "login-1")).toBe(a);
    expect(await derivedSessionId(key, "other", "login-1")).not.toBe(a);
    expect(await derivedSessionId(key, "acme", "login-2")).not.toBe(a);
    expect(await derivedSessionId(await hmacKey(2), "acme", "login-1")).not.toBe(a);
  });
});
