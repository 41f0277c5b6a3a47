import { describe, expect, it } from "vitest";
import { md5 } from "../../../src/machine/intrinsics/hash/md5.ts";
import { sha1 } from "../../../src/machine/intrinsics/hash/sha1.ts";
import { sha256 } from "../../../src/machine/intrinsics/hash/sha256.ts";
import { sha384, sha512 } from "../../../src/machine/intrinsics/hash/sha512.ts";
import { run } from "./run.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

// Vectors: RFC 1321 / FIPS 180 examples, plus digests computed with OpenSSL for longer and
// non-ASCII inputs (multi-block messages and UTF-8 encoding).
const VECTORS: Record<string, [string, string][]> = {
  MD5: [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"],
    ["input data", "812f45842bc6d66ee14572ce20db8e86"],
    ["a".repeat(1000), "cabe45dcc9ae5b66ba86600cca6b8ba8"],
    ["héllo wörld ✓ 🚀", "0064c56aa4d813e737d51f8a55a73bf1"],
  ],
  "SHA-1": [
    ["", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["input data", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    ["a".repeat(1000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"],
    ["héllo wörld ✓ 🚀", "c835083866b7f0f1ab18ad805568e5753862c2b0"],
  ],
  "SHA-256": [
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["input data", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    ["a".repeat(1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"],
    ["héllo wörld ✓ 🚀", "c1a19c07e61550d4eb0bec9e7259bbf521b29ef90cede8cc2b5170f4046a7373"],
  ],
  "SHA-384": [
    [
      "abc",
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    ],
    [
      "a".repeat(1000),
      "f54480689c6b0b11d0303285d9a81b21a93bca6ba5a1b4472765dca4da45ee328082d469c650cd3b61b16d3266ab8ced",
    ],
  ],
  "SHA-512": [
    [
      "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ],
    [
      "héllo wörld ✓ 🚀",
      "e294913160cdb571c3f27f8ad8557df0cefd3928da1b49dfa64310c01313a9833fab0567665ac86e26d1774dde60527f1fe6b20283691aaf206746fae3564fc9",
    ],
  ],
};

describe("States.Hash", () => {
  for (const [algorithm, vectors] of Object.entries(VECTORS)) {
    it.each(vectors)(`computes ${algorithm} of %j`, (data, digest) => {
      expect(run("States.Hash($.Data, $.Algorithm)", { Data: data, Algorithm: algorithm })).toEqual({
        ok: true,
        value: digest,
      });
    });
  }

  it("matches WebCrypto for every length around the block boundaries", async () => {
    const algorithms = [
      ["SHA-1", sha1],
      ["SHA-256", sha256],
      ["SHA-384", sha384],
      ["SHA-512", sha512],
    ] as const;
    for (let length = 0; length <= 260; length++) {
      const message = bytes("é".repeat(length).slice(0, length));
      for (const [name, fn] of algorithms) {
        const expected = Array.from(new Uint8Array(await crypto.subtle.digest(name, message)), (b) =>
          b.toString(16).padStart(2, "0"),
        ).join("");
        expect(fn(message), `${name} of ${length} chars`).toBe(expected);
      }
    }
  });

  it("keeps MD5 consistent across block boundaries", () => {
    // 55 and 56 bytes are where the length field stops fitting in the first block.
    expect(md5(bytes("a".repeat(55)))).toBe("ef1772b6dff9a122358552954ad0df65");
    expect(md5(bytes("a".repeat(56)))).toBe("3b0c8ac703f828b04c6c197006d17218");
    expect(md5(bytes("a".repeat(64)))).toBe("014842d480b571495a4a0363793f7367");
  });

  it("refuses an unknown algorithm, naming the supported ones", () => {
    const result = run("States.Hash('x', 'SHA-224')");
    expect(result).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    if (!result.ok) expect(result.cause).toContain("MD5, SHA-1, SHA-256, SHA-384, SHA-512");
    expect(run("States.Hash('x', 'constructor')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });

  it("refuses data longer than 10,000 characters and non-string data", () => {
    expect(run("States.Hash($.d, 'MD5')", { d: "x".repeat(10_001) })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.Hash(1, 'MD5')")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});
