import { describe, expect, it } from "vitest";
import {
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url,
  portableBase64,
} from "../../src/core/encoding";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("base64 encoding", () => {
  it("matches RFC 4648 test vectors", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [text, b64] of vectors) {
      const raw = new TextEncoder().encode(text);
      expect(encodeBase64(raw)).toBe(b64);
      expect(decodeBase64(b64)).toEqual(raw);
      expect(encodeBase64Url(raw)).toBe(b64.replace(/=+$/, ""));
    }
  });

  it("uses the url alphabet without padding for base64url", () => {
    expect(encodeBase64(bytes(0xfb, 0xff))).toBe("+/8=");
    expect(encodeBase64Url(bytes(0xfb, 0xff))).toBe("-_8");
    expect(decodeBase64Url("-_8")).toEqual(bytes(0xfb, 0xff));
  });

  it("accepts base64 with or without padding", () => {
    expect(decodeBase64("Zm8=")).toEqual(decodeBase64("Zm8"));
  });

  it("round-trips every length from 0 to 300 bytes", () => {
    for (let n = 0; n <= 300; n++) {
      const data = crypto.getRandomValues(new Uint8Array(n));
      expect(decodeBase64(encodeBase64(data))).toEqual(data);
      expect(decodeBase64Url(encodeBase64Url(data))).toEqual(data);
    }
  });

  it.each([
    ["whitespace", "Zm9v Yg=="],
    ["a newline", "Zm9v\nYg=="],
    ["the url alphabet", "-_8="],
    ["4n+1 characters", "Zm9vY"],
    ["wrong padding", "Zg="],
    ["padding in the middle", "Zg==Zg=="],
    ["non-zero trailing bits", "Zh=="],
    ["non-ASCII", "Zm9vé"],
  ])("refuses base64 with %s", (_, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it.each([
    ["padding", "Zg=="],
    ["the standard alphabet", "+/8"],
    ["4n+1 characters", "Zm9vY"],
    ["non-zero trailing bits", "Zh"],
    ["a dot", "Zm.9v"],
  ])("refuses base64url with %s", (_, text) => {
    expect(decodeBase64Url(text)).toBeUndefined();
  });

  it("agrees with the atob/btoa fallback used where the runtime lacks Uint8Array.fromBase64", () => {
    // Larger than the fallback's 32 KiB chunk, so the chunk joins are covered too.
    const data = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    for (const alphabet of ["base64", "base64url"] as const) {
      const text = portableBase64.encode(data, alphabet, alphabet === "base64url");
      expect(text).toBe(alphabet === "base64" ? encodeBase64(data) : encodeBase64Url(data));
      const padded = text.padEnd(Math.ceil(text.length / 4) * 4, "=");
      expect(portableBase64.decode(padded, alphabet)).toEqual(data);
    }
  });

  it("runs on the native Uint8Array base64 methods in workerd", () => {
    // The hot path relies on these; if a compatibility-date change removed them we'd want to know.
    expect(typeof (Uint8Array as unknown as Record<string, unknown>).fromBase64).toBe("function");
    expect(typeof (Uint8Array.prototype as unknown as Record<string, unknown>).toBase64).toBe("function");
  });
});
