import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import { type ContextObject, evaluateOver, type Variables } from "../paths/context.ts";
import { normalizedPath } from "../paths/json-path.ts";
import type { IntrinsicArgument, IntrinsicCall } from "./ast.ts";
import { parseIntrinsic } from "./parser.ts";
import { INTRINSIC_FUNCTIONS } from "./registry.ts";
import type { IntrinsicEnv, RandomSource } from "./types.ts";

export interface IntrinsicOptions {
  /** Random numbers in [0, 1) for States.MathRandom and States.UUID; defaults to Math.random. */
  random?: RandomSource;
  /** Variables that `$name` arguments read. */
  variables?: Variables;
}

/**
 * Evaluates an intrinsic call against the state input (`$`) and the context object (`$$`).
 * A path argument that matches nothing is States.Runtime (as for any path); a malformed call
 * or bad argument values are States.IntrinsicFailure.
 */
export function evaluateIntrinsic(
  expr: string | IntrinsicCall,
  input: unknown,
  context: ContextObject,
  options: IntrinsicOptions = {},
): StatesResult<unknown> {
  let call: IntrinsicCall;
  if (typeof expr === "string") {
    const parsed = parseIntrinsic(expr);
    if (!parsed.ok) {
      return failWith(
        StatesError.IntrinsicFailure,
        `Invalid intrinsic function '${expr}': ${parsed.message}`,
      );
    }
    call = parsed.value;
  } else {
    call = expr;
  }
  return evaluateCall(call, {
    input,
    context,
    random: options.random ?? Math.random,
    variables: options.variables ?? {},
  });
}

function evaluateCall(call: IntrinsicCall, env: IntrinsicEnv): StatesResult<unknown> {
  const fn = INTRINSIC_FUNCTIONS.get(call.name);
  if (!fn) return failWith(StatesError.IntrinsicFailure, `Unknown intrinsic function ${call.name}`);
  const values: unknown[] = [];
  for (const arg of call.args) {
    const value = evaluateArgument(arg, env);
    if (!value.ok) return value;
    values.push(value.value);
  }
  return fn.evaluate(values, env, call);
}

function evaluateArgument(arg: IntrinsicArgument, env: IntrinsicEnv): StatesResult<unknown> {
  switch (arg.kind) {
    case "string":
    case "number":
    case "boolean":
      return succeed(arg.value);
    case "null":
      return succeed(null);
    case "call":
      return evaluateCall(arg, env);
    case "path": {
      const match = evaluateOver(arg.path, env.input, env.context, env.variables);
      if (match.found) return succeed(match.value);
      return failWith(
        StatesError.Runtime,
        `The JsonPath argument '${arg.path.source}' of an intrinsic function could not be found: no results for path ${normalizedPath(arg.path)}`,
      );
    }
  }
}
