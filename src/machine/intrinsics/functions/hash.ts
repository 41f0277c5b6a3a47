import { succeed } from "../../errors.ts";
import { utf8Encode } from "../base64.ts";
import { md5 } from "../hash/md5.ts";
import { sha1 } from "../hash/sha1.ts";
import { sha256 } from "../hash/sha256.ts";
import { sha384, sha512 } from "../hash/sha512.ts";
import { type IntrinsicFunction, intrinsicFailure, MAX_STRING_INPUT, typeName } from "../types.ts";

const NAME = "States.Hash";

/** The algorithms Step Functions accepts, by their exact names; output is lowercase hex. */
export const HASH_ALGORITHMS: Readonly<Record<string, (bytes: Uint8Array) => string>> = {
  MD5: md5,
  "SHA-1": sha1,
  "SHA-256": sha256,
  "SHA-384": sha384,
  "SHA-512": sha512,
};

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
    const fn =
      typeof algorithm === "string" && Object.hasOwn(HASH_ALGORITHMS, algorithm)
        ? HASH_ALGORITHMS[algorithm]
        : undefined;
    if (!fn) {
      return intrinsicFailure(
        NAME,
        `the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(", ")}, got ${JSON.stringify(algorithm)}`,
      );
    }
    return succeed(fn(utf8Encode(data)));
  },
};
