import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, type RandomSource } from "../types.ts";

const NAME = "States.MathRandom";

/**
 * A random integer in [start, end). Non-integer bounds are rounded, as AWS documents. With a
 * seed the result is repeatable; it will not equal AWS's numbers (their generator is not
 * specified), only be stable for the same seed.
 */
export const mathRandom: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 3,
  evaluate([start, end, seed], env) {
    if (!isFiniteNumber(start) || !isFiniteNumber(end)) {
      return intrinsicFailure(NAME, "the start and end must be numbers");
    }
    if (seed !== undefined && !isFiniteNumber(seed))
      return intrinsicFailure(NAME, "the seed must be a number");
    const low = Math.round(start);
    const high = Math.round(end);
    if (high <= low)
      return intrinsicFailure(NAME, `the end (${high}) must be greater than the start (${low})`);
    const random = seed === undefined ? env.random : seeded(Math.round(seed));
    return succeed(low + Math.floor(random() * (high - low)));
  },
};

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** mulberry32: tiny, well-distributed, deterministic for a 32-bit seed. */
export function seeded(seed: number): RandomSource {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
