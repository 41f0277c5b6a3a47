import { describe, expect, it } from "vitest";
import { encodeBase64 } from "../../src/core/encoding";
import { parseKeyRing } from "../../src/crypto/key-ring";
import { randomKey, secret } from "./rings";

function problemOf(raw: string | undefined): string {
  const result = parseKeyRing(raw);
  if (result.ok) throw new Error("expected a problem, got a ring");
  return result.problem;
}

describe("parseKeyRing", () => {
  it("parses a ring with its primary and every key's 32 bytes", () => {
    const k1 = crypto.getRandomValues(new Uint8Array(32));
    const k2 = crypto.getRandomValues(new Uint8Array(32));
    const result = parseKeyRing(secret("k2", { k1: encodeBase64(k1), k2: encodeBase64(k2) }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ring.primary).toBe("k2");
    expect([...result.ring.keys.keys()]).toEqual(["k1", "k2"]);
    expect(result.ring.keys.get("k1")).toEqual(k1);
    expect(result.ring.keys.get("k2")).toEqual(k2);
  });

  it("accepts keys without base64 padding and ids with - and _", () => {
    const result = parseKeyRing(secret("key_2026-11", { "key_2026-11": randomKey().replace(/=+$/, "") }));
    expect(result.ok).toBe(true);
  });

  it("prints nothing of the key material when the ring is logged", () => {
    const key = randomKey();
    const result = parseKeyRing(secret("k1", { k1: key }));
    if (!result.ok) throw new Error(result.problem);
    expect(JSON.stringify(result.ring)).not.toContain(key);
    expect(JSON.stringify(result.ring)).not.toMatch(/\d+,\d+/);
  });

  it.each([
    ["is undefined", undefined, "ENCRYPTION_KEYS is not set"],
    ["is empty", "", "ENCRYPTION_KEYS is not set"],
    ["is blank", "  \n", "ENCRYPTION_KEYS is not set"],
    ["is not JSON", "primary=k1", "ENCRYPTION_KEYS is not valid JSON"],
    ["is a JSON array", "[]", "must be a JSON object"],
    ["is a JSON string", '"k1"', "must be a JSON object"],
    ["is JSON null", "null", "must be a JSON object"],
    ["has no primary", JSON.stringify({ keys: { k1: "x" } }), '"primary" is missing'],
    ["has no keys", JSON.stringify({ primary: "k1" }), '"keys" is missing'],
    ["has empty keys", JSON.stringify({ primary: "k1", keys: {} }), '"keys" is empty'],
    ["has keys as an array", JSON.stringify({ primary: "k1", keys: ["a"] }), '"keys" must be an object'],
    [
      "has a numeric primary",
      JSON.stringify({ primary: 1, keys: { k1: "x" } }),
      '"primary" must be a key id',
    ],
    ["has a typo'd field", JSON.stringify({ primay: "k1", keys: {} }), 'unexpected field(s) "primay"'],
  ])("reports a secret that %s", (_, raw, expected) => {
    expect(problemOf(raw)).toContain(expected);
  });

  it("reports a primary that is not in keys, naming it", () => {
    expect(problemOf(secret("k3", { k1: randomKey(), k2: randomKey() }))).toContain(
      '"primary" names key "k3", which is not in "keys"',
    );
  });

  it.each([
    ["16 bytes", encodeBase64(crypto.getRandomValues(new Uint8Array(16))), "(it decodes to 16)"],
    ["33 bytes", encodeBase64(crypto.getRandomValues(new Uint8Array(33))), "(it decodes to 33)"],
    ["hex, not base64", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "decodes to 48"],
    ["not base64 at all", "not*base64!", "(not a base64 string)"],
    ["base64url, not base64", `${randomKey().slice(0, 40)}-_-=`, "(not a base64 string)"],
    ["a number", 42, "(not a base64 string)"],
  ])("reports a key of %s, naming the key id", (_, material, detail) => {
    const problem = problemOf(JSON.stringify({ primary: "k1", keys: { k1: randomKey(), k2: material } }));
    expect(problem).toContain('key "k2" is not base64 of exactly 32 bytes');
    expect(problem).toContain(detail);
  });

  it("reports a placeholder key of identical bytes", () => {
    const zeros = encodeBase64(new Uint8Array(32));
    expect(problemOf(secret("k1", { k1: zeros }))).toContain('key "k1" is a placeholder');
  });

  it.each([
    ["empty", ""],
    ["too long", "k".repeat(33)],
    ["with a dot", "k.1"],
    ["with a slash", "k/1"],
    ["with a space", "k 1"],
    ["non-ASCII", "clé"],
  ])("reports a key id that is %s, without repeating it", (_, id) => {
    const problem = problemOf(
      JSON.stringify({ primary: "k1", keys: { k1: randomKey(), [id]: randomKey() } }),
    );
    expect(problem).toContain('key id #2 in "keys" is invalid: key ids must match [A-Za-z0-9_-]{1,32}');
    if (id !== "") expect(problem).not.toContain(id);
  });

  it("reports a bad primary id without repeating it", () => {
    const problem = problemOf(secret("k/1", { k1: randomKey() }));
    expect(problem).toContain('"primary" must be a key id matching');
    expect(problem).not.toContain("k/1");
  });

  it("reports every problem at once", () => {
    const problem = problemOf(
      JSON.stringify({ primary: "k9", keys: { k1: "short", "bad id": randomKey() } }),
    );
    expect(problem).toContain('key "k1" is not base64');
    expect(problem).toContain("key id #2");
    expect(problem).toContain('"primary" names key "k9"');
  });

  it("does not report a primary as missing when its key is present but bad", () => {
    const problem = problemOf(secret("k1", { k1: "short" }));
    expect(problem).toContain('key "k1" is not base64');
    expect(problem).not.toContain("not in");
  });

  describe("never includes key material in a problem", () => {
    const key = randomKey();
    it.each([
      ["invalid JSON around a key", `{"primary":"k1","keys":{"k1":"${key}"`],
      ["a key pasted as the id", JSON.stringify({ primary: "k1", keys: { k1: randomKey(), [key]: "k1" } })],
      ["a key pasted as the primary", JSON.stringify({ primary: key, keys: { k1: randomKey() } })],
      ["a key pasted as a field", JSON.stringify({ primary: "k1", keys: { k1: randomKey() }, [key]: 1 })],
      ["a key that is too short", secret("k1", { k1: key.slice(0, 20) })],
    ])("%s", (_, raw) => {
      const problem = problemOf(raw);
      expect(problem).not.toContain(key);
      expect(problem).not.toContain(key.slice(0, 12));
    });
  });
});
