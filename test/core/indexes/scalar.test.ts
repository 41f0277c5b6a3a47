import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareBytes,
  decodeScalar,
  encodeScalar,
  type JsonScalar,
  kindBounds,
  kindOf,
  prefixEnd,
} from "../../../src/core/indexes/scalar";

/** The documented order, written independently of the encoding: null < false < true < numbers < strings. */
function reference(a: JsonScalar, b: JsonScalar): number {
  const rank = (v: JsonScalar) =>
    v === null ? 0 : v === false ? 1 : v === true ? 2 : typeof v === "number" ? 3 : 4;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  }
  return 0;
}

const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
const scalar: fc.Arbitrary<JsonScalar> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  number,
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);

describe("scalar encoding", () => {
  it("round-trips every JSON scalar, lone surrogates included", () => {
    fc.assert(fc.property(scalar, (v) => Object.is(decodeScalar(encodeScalar(v)), v)));
    expect(decodeScalar(encodeScalar("\ud800"))).toBe("\ud800");
    expect(compareBytes(encodeScalar("\ud800"), encodeScalar("\ufffd"))).not.toBe(0);
  });

  it("orders bytes exactly as the documented scalar order", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        expect(Math.sign(compareBytes(encodeScalar(a), encodeScalar(b)))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("orders the kinds null < false < true < numbers < strings, numbers by value", () => {
    const sorted: JsonScalar[] = [
      null,
      false,
      true,
      -1e300,
      -1,
      -0.5,
      0,
      1e-300,
      2,
      10,
      1e300,
      "",
      "A",
      "a",
      "é",
      "😀",
    ];
    const shuffled = [...sorted].reverse();
    shuffled.sort((a, b) => compareBytes(encodeScalar(a), encodeScalar(b)));
    expect(shuffled).toEqual(sorted);
  });

  it("puts every value of a kind inside that kind's bounds", () => {
    fc.assert(
      fc.property(scalar, (v) => {
        const { from, to } = kindBounds(kindOf(v));
        const e = encodeScalar(v);
        expect(compareBytes(e, from)).toBeGreaterThanOrEqual(0);
        expect(compareBytes(e, to)).toBeLessThan(0);
      }),
    );
  });

  it("bounds a string prefix: enc(p) ≤ enc(s) < prefixEnd(p) exactly when s begins with p (by code points)", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 6 });
    fc.assert(
      fc.property(text, text, (p, rest) => {
        const s = p + rest;
        expect(compareBytes(encodeScalar(s), encodeScalar(p))).toBeGreaterThanOrEqual(0);
        expect(compareBytes(encodeScalar(s), prefixEnd(p))).toBeLessThan(0);
      }),
    );
    fc.assert(
      fc.property(text, text, (p, s) => {
        const inside =
          compareBytes(encodeScalar(s), encodeScalar(p)) >= 0 &&
          compareBytes(encodeScalar(s), prefixEnd(p)) < 0;
        expect(inside).toBe(s.startsWith(p));
      }),
    );
  });
});
