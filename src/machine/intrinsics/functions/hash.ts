import { HASH_ALGORITHMS, hashHex, isHashAlgorithm } from "../../../crypto/hashes.ts";
import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, MAX_STRING_INPUT, typeName } from "../types.ts";

const NAME = "States.Hash";

export const hash: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([data, algorithm]) {
    if (typeof data !== "string")
      return intrinsicFailure(NAME, `the data must be a string, got ${typeName(data)}`);
    if (data.length > MAX_STRING_INPUT) {
      return intrinsicFailure(NAME, `the data exceeds ${MAX_STRING_INPUT} characters`);
    }
    if (!isHashAlgorithm(algorithm)) {
      return intrinsicFailure(
        NAME,
        `the algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, got ${JSON.stringify(algorithm)}`,
      );
    }
    return succeed(hashHex(algorithm, data));
  },
};
