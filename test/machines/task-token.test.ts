import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hmacSha256 } from "../../src/crypto/hashes.ts";
import { taskTokenSigner, verifyTaskToken } from "../../src/executions/task-token";

const claims = { tenant: "acme", machine: "orders", execution: "run-1", taskId: "t3" };

describe("task tokens", () => {
  it("the synchronous HMAC-SHA-256 matches WebCrypto's", async () => {
    for (const [keyLength, message] of [
      [32, "hello"],
      [100, "a longer message ".repeat(20)],
      [0, ""],
    ] as const) {
      const key = crypto.getRandomValues(new Uint8Array(keyLength || 1)).slice(0, keyLength);
      const data = new TextEncoder().encode(message);
      const imported = await crypto.subtle.importKey(
        "raw",
        key.length ? key : new Uint8Array(1),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      if (key.length === 0) continue; // WebCrypto refuses empty HMAC keys
      const expected = new Uint8Array(await crypto.subtle.sign("HMAC", imported, data));
      expect(hmacSha256(key, data)).toEqual(expected);
    }
  });

  it("signs tokens that verify to their claims, and nothing else verifies", async () => {
    const signer = (await taskTokenSigner(env))!;
    const token = signer.sign(claims);
    expect(await verifyTaskToken(env, token)).toEqual(claims);
    const [prefix, keyId, payload, mac] = token.split(".");
    expect(
      await verifyTaskToken(
        env,
        `${prefix}.${keyId}.${payload}.${mac!.replace(/^./, (c) => (c === "A" ? "B" : "A"))}`,
      ),
    ).toBeNull();
    expect(await verifyTaskToken(env, `${prefix}.k2.${payload}.${mac}`)).toBeNull();
    expect(await verifyTaskToken(env, `${prefix}.nokey.${payload}.${mac}`)).toBeNull();
    expect(
      await verifyTaskToken(
        { ENCRYPTION_KEYS: JSON.stringify({ primary: "k1", keys: { k1: btoa("x".repeat(32)) } }) },
        token,
      ),
    ).toBeNull();
  });

  it("still verifies tokens issued by the hand-written HMAC it replaced", async () => {
    // Signed under the test ring's k1 by the previous implementation (before node:crypto).
    const issued = [
      [
        "est1.k1.WyJhY21lIiwib3JkZXJzIiwicnVuLTEiLCJ0MyJd.9VtM73QLJyYmRr5frQUe8A5vJ-lC3fZr7DFx6pzGGZc",
        claims,
      ],
      [
        "est1.k1.WyJkZWZhdWx0IiwiYXBwcm92YWwtZmxvdyIsImV4ZWMtMjAyNiIsInQxMiJd.u8kja2xY-nFctF0P2GuW18KjvU3kB2IgpmlytEs5E0E",
        { tenant: "default", machine: "approval-flow", execution: "exec-2026", taskId: "t12" },
      ],
    ] as const;
    const signer = (await taskTokenSigner(env))!;
    for (const [token, expected] of issued) {
      expect(await verifyTaskToken(env, token)).toEqual(expected);
      expect(signer.sign(expected)).toBe(token);
    }
  });
});
