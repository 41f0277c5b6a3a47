// The functions Step Functions adds to JSONata ($partition, $range, $hash, $random with a seed,
// $uuid, $parse), and the builtins it changes: $eval is not available, and $now/$millis/$random
// read the interpreter's injected clock and random source instead of the platform's, so a step
// stays a pure function of (snapshot, event, env). Each reuses its intrinsic twin, so
// `States.ArrayRange` and `$range` cannot drift apart.

import type { StatesResult } from "../errors.ts";
import { arrayPartition } from "../intrinsics/functions/array-partition.ts";
import { arrayRange } from "../intrinsics/functions/array-range.ts";
import { hash } from "../intrinsics/functions/hash.ts";
import { seeded } from "../intrinsics/functions/math-random.ts";
import { stringToJson } from "../intrinsics/functions/string-to-json.ts";
import { uuid } from "../intrinsics/functions/uuid.ts";
import type { IntrinsicEnv, IntrinsicFunction } from "../intrinsics/types.ts";
import type { ContextObject } from "../paths/context.ts";

export interface FunctionEnv {
  now: number;
  random: () => number;
  context: ContextObject;
}

/** The jsonata error shape (`{code, message}`), so its own reporting treats ours alike. */
const evaluationError = (message: string) => ({ code: "States.QueryEvaluationError", message });

function unwrap(result: StatesResult<unknown>): unknown {
  if (result.ok) return result.value;
  throw evaluationError(result.cause);
}

const call = (fn: IntrinsicFunction, args: unknown[], env: FunctionEnv) => {
  const intrinsic: IntrinsicEnv = { input: null, context: env.context, random: env.random };
  return unwrap(fn.evaluate(args, intrinsic, { kind: "call", name: fn.name, args: [] }));
};

/** Native functions jsonata calls with `this.environment` (how `$now` reaches `$fromMillis`). */
interface JsonataThis {
  environment: { lookup(name: string): unknown };
}

export function stepFunctions(env: FunctionEnv): Record<string, unknown> {
  return {
    partition: (array: unknown, size: unknown) => call(arrayPartition, [array, size], env),
    range: (start: unknown, end: unknown, step: unknown) => call(arrayRange, [start, end, step], env),
    hash: (data: unknown, algorithm: unknown) => call(hash, [data, algorithm], env),
    random: (seed?: unknown) => {
      if (seed === undefined) return env.random();
      if (typeof seed !== "number" || !Number.isFinite(seed))
        throw evaluationError("the seed must be a number");
      return seeded(Math.round(seed))();
    },
    uuid: () => call(uuid, [], env),
    parse: (text: unknown) => call(stringToJson, [text], env),
    eval: () => {
      throw evaluationError("$eval is not available in Step Functions; use $parse");
    },
    millis: () => env.now,
    // A jsonata function object (not a plain function) so jsonata passes its environment as `this`.
    now: {
      _jsonata_function: true,
      implementation(this: JsonataThis, picture?: unknown, timezone?: unknown) {
        const fromMillis = this.environment.lookup("fromMillis") as {
          implementation: (ms: number, picture?: unknown, timezone?: unknown) => string;
        };
        return fromMillis.implementation.call(this, env.now, picture, timezone);
      },
    },
  };
}
