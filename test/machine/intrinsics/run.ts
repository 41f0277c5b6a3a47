import { evaluateIntrinsic } from "../../../src/machine/intrinsics/evaluate.ts";
import { context } from "../paths/context-fixture.ts";

/** Evaluates an intrinsic with a fixed random source, as the AWS doc examples are written. */
export const run = (expr: string, input: unknown = {}, random: () => number = () => 0.5) =>
  evaluateIntrinsic(expr, input, context, { random });
