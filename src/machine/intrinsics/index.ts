export type { IntrinsicArgument, IntrinsicCall } from "./ast.ts";
export { evaluateIntrinsic, type IntrinsicOptions } from "./evaluate.ts";
export { isIntrinsicCall, MAX_INTRINSIC_NESTING, parseIntrinsic } from "./parser.ts";
export { INTRINSIC_FUNCTIONS } from "./registry.ts";
export type { IntrinsicFunction, RandomSource } from "./types.ts";
