import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

// What Step Functions answers: the AWS documentation's example (`States.Hash($.Data,
// $.Algorithm)` of "input data" with SHA-1), then one published vector per algorithm (RFC 1321,
// FIPS 180-4) through the intrinsic, UTF-8 text, and the limits. The digests themselves are tested
// against the full published suites in test/crypto/hashes.test.ts.
const CASES: [string, string, string][] = [
  ["SHA-1", "input data", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
  ["MD5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
  ["SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "SHA-384",
    "abc",
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  ],
  [
    "SHA-512",
    "abc",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  ],
];

const webCryptoHex = async (algorithm: string, text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text))), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

describe("States.Hash", () => {
  it.each(CASES)("computes %s of %j", (algorithm, data, digest) => {
    expect(run("States.Hash($.Data, $.Algorithm)", { Data: data, Algorithm: algorithm })).toEqual({
      ok: true,
      value: digest,
    });
  });

  it("hashes the UTF-8 bytes of the text, up to 10,000 characters", async () => {
    for (const data of ["héllo wörld ✓ 🚀", "é".repeat(10_000)]) {
      for (const algorithm of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
        expect(run("States.Hash($.d, $.a)", { d: data, a: algorithm })).toEqual({
          ok: true,
          value: await webCryptoHex(algorithm, data),
        });
      }
    }
  });

  it("refuses an unknown algorithm, naming the supported ones", () => {
    const result = run("States.Hash('x', 'SHA-224')");
    expect(result).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    if (!result.ok) expect(result.cause).toContain("MD5, SHA-1, SHA-256, SHA-384, SHA-512");
    for (const name of ["constructor", "sha256", "md5"]) {
      expect(run(`States.Hash('x', '${name}')`)).toMatchObject({
        ok: false,
        error: "States.IntrinsicFailure",
      });
    }
  });

  it("refuses data longer than 10,000 characters and non-string data", () => {
    expect(run("States.Hash($.d, 'MD5')", { d: "x".repeat(10_001) })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.Hash(1, 'MD5')")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});
