import { describe, expect, it } from "vitest";
import { equalSecrets, type HashAlgorithm, hashHex, hmacSha256 } from "../../src/crypto/hashes.ts";

// Published test vectors only: FIPS 180-4's examples (NIST CSRC "Examples with intermediate
// values": "abc", the 448-bit and 896-bit messages, and one million "a"), RFC 1321 appendix A.5,
// and RFC 4231 section 4 (HMAC-SHA-256).

const M448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896 =
  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
const MILLION_A = "a".repeat(1_000_000);

const FIPS_180_4: [HashAlgorithm, string, string][] = [
  ["SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["SHA-1", M448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
  ["SHA-1", MILLION_A, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"],
  ["SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["SHA-256", M448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
  ["SHA-256", MILLION_A, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
  [
    "SHA-384",
    "abc",
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  ],
  [
    "SHA-384",
    M896,
    "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
  ],
  [
    "SHA-384",
    MILLION_A,
    "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
  ],
  [
    "SHA-512",
    "abc",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  ],
  [
    "SHA-512",
    M896,
    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
  ],
  [
    "SHA-512",
    MILLION_A,
    "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
  ],
];

const RFC_1321: [string, string][] = [
  ["", "d41d8cd98f00b204e9800998ecf8427e"],
  ["a", "0cc175b9c0f1b6a831c399e269772661"],
  ["abc", "900150983cd24fb0d6963f7d28e17f72"],
  ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
  ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
  ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
  ["1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"],
];

const bytes = (length: number, value: number) => new Uint8Array(length).fill(value);
const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

const RFC_4231: [string, Uint8Array, Uint8Array, string][] = [
  [
    "1",
    bytes(20, 0x0b),
    text("Hi There"),
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  ],
  [
    "2",
    text("Jefe"),
    text("what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  ],
  ["3", bytes(20, 0xaa), bytes(50, 0xdd), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  [
    "4",
    Uint8Array.from({ length: 25 }, (_, i) => i + 1),
    bytes(50, 0xcd),
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
  ],
  // Test case 5 publishes only the first 128 bits.
  ["5", bytes(20, 0x0c), text("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
  [
    "6",
    bytes(131, 0xaa),
    text("Test Using Larger Than Block-Size Key - Hash Key First"),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  ],
  [
    "7",
    bytes(131, 0xaa),
    text(
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
    ),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

describe("hashes", () => {
  const label = (message: string) =>
    message === M448
      ? "the 448-bit message"
      : message === M896
        ? "the 896-bit message"
        : message === MILLION_A
          ? "one million 'a'"
          : `"${message}"`;
  for (const [algorithm, message, digest] of FIPS_180_4) {
    it(`${algorithm} of ${label(message)} (FIPS 180-4 example)`, () => {
      expect(hashHex(algorithm, message)).toBe(digest);
    });
  }

  it.each(RFC_1321)("MD5 of %j (RFC 1321 A.5)", (message, digest) => {
    expect(hashHex("MD5", message)).toBe(digest);
  });

  it("hashes text as UTF-8, the same as its bytes", () => {
    const message = "héllo wörld ✓ 🚀";
    expect(hashHex("SHA-256", message)).toBe(hashHex("SHA-256", text(message)));
  });

  it.each(RFC_4231)("HMAC-SHA-256 of RFC 4231 test case %s", (_, key, data, mac) => {
    expect(hex(hmacSha256(key, data)).slice(0, mac.length)).toBe(mac);
  });

  it("compares secrets by content and length", () => {
    expect(equalSecrets(text("same"), text("same"))).toBe(true);
    expect(equalSecrets(text("same"), text("sane"))).toBe(false);
    expect(equalSecrets(text("same"), text("same!"))).toBe(false);
  });
});
