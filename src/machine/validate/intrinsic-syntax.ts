// A private syntax and arity check for intrinsic function calls (`States.Format(…)` …), used
// until src/machine/intrinsics exports parseIntrinsic/isIntrinsicCall (written concurrently by
// another engineer); switch then. Only literal arguments can be type-checked here: a path or a
// nested call is typed at run time, where Step Functions raises States.IntrinsicFailure.

import { HASH_ALGORITHMS, isHashAlgorithm } from "../../crypto/hashes.ts";
import { jsonPathProblem } from "./path-syntax.ts";

/** What an argument position accepts; "array" and "json" take no literal (ASL has none). */
type Param = "any" | "string" | "number" | "boolean" | "array" | "json";

interface Signature {
  params: readonly Param[];
  /** The last parameter repeats (States.Format, States.Array). */
  variadic?: boolean;
  optionalFrom?: number;
}

const SIGNATURES: Readonly<Record<string, Signature>> = {
  "States.Format": { params: ["string", "any"], variadic: true, optionalFrom: 1 },
  "States.StringToJson": { params: ["string"] },
  "States.JsonToString": { params: ["any"] },
  "States.Array": { params: ["any"], variadic: true, optionalFrom: 0 },
  "States.ArrayPartition": { params: ["array", "number"] },
  "States.ArrayContains": { params: ["array", "any"] },
  "States.ArrayRange": { params: ["number", "number", "number"] },
  "States.ArrayGetItem": { params: ["array", "number"] },
  "States.ArrayLength": { params: ["array"] },
  "States.ArrayUnique": { params: ["array"] },
  "States.Base64Encode": { params: ["string"] },
  "States.Base64Decode": { params: ["string"] },
  "States.Hash": { params: ["any", "string"] },
  "States.JsonMerge": { params: ["json", "json", "boolean"] },
  "States.MathRandom": { params: ["number", "number", "number"], optionalFrom: 2 },
  "States.MathAdd": { params: ["number", "number"] },
  "States.StringSplit": { params: ["string", "string"] },
  "States.UUID": { params: [] },
};

type Literal = "string" | "number" | "boolean" | "null";
type Arg = { kind: Literal; value: string } | { kind: "path" | "call" };

class Fail extends Error {}

class Parser {
  i = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] ?? "")) this.i++;
  }

  call(): void {
    const name = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.i))?.[0];
    if (!name) throw new Fail(`expected States.<Function>( at offset ${this.i}`);
    const signature = SIGNATURES[name];
    if (!signature) throw new Fail(`unknown intrinsic function ${name}`);
    this.i += name.length;
    if (this.text[this.i] !== "(") throw new Fail(`expected ( after ${name}`);
    this.i++;
    const args: Arg[] = [];
    this.skipSpace();
    if (this.text[this.i] === ")") this.i++;
    else {
      for (;;) {
        this.skipSpace();
        args.push(this.arg());
        this.skipSpace();
        const c = this.text[this.i++];
        if (c === ")") break;
        if (c !== ",") throw new Fail(`expected , or ) in ${name} at offset ${this.i - 1}`);
      }
    }
    checkArguments(name, signature, args);
  }

  arg(): Arg {
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) {
      const match = /^'((?:[^'\\]|\\.)*)'/.exec(rest);
      if (!match) throw new Fail("unterminated string literal");
      this.i += match[0].length;
      return { kind: "string", value: match[1] ?? "" };
    }
    if (rest.startsWith("States.")) {
      this.call();
      return { kind: "call" };
    }
    if (rest.startsWith("$")) {
      const end = this.pathEnd();
      const path = this.text.slice(this.i, end).trim();
      const problem = jsonPathProblem(path);
      if (problem) throw new Fail(`argument ${path}: ${problem}`);
      this.i = end;
      return { kind: "path" };
    }
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(rest)?.[0];
    if (!literal) throw new Fail(`invalid argument at offset ${this.i}: ${rest.slice(0, 20)}`);
    this.i += literal.length;
    const kind: Literal = literal === "null" ? "null" : /^(true|false)$/.test(literal) ? "boolean" : "number";
    return { kind, value: literal };
  }

  /** A path argument runs to the next top-level `,` or `)`; brackets and quotes may hide them. */
  pathEnd(): number {
    let depth = 0;
    let quote: string | undefined;
    for (let j = this.i; j < this.text.length; j++) {
      const c = this.text[j];
      if (quote) {
        if (c === "\\") j++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === "[" || c === "(") depth++;
      else if ((c === "]" || c === ")") && depth > 0) depth--;
      else if (depth === 0 && (c === "," || c === ")")) return j;
    }
    throw new Fail("unterminated call: missing )");
  }
}

function checkArguments(name: string, signature: Signature, args: readonly Arg[]): void {
  const { params, variadic = false, optionalFrom = params.length } = signature;
  if (args.length < optionalFrom || (!variadic && args.length > params.length)) {
    const expected = variadic
      ? `at least ${optionalFrom}`
      : optionalFrom === params.length
        ? `${params.length}`
        : `${optionalFrom} to ${params.length}`;
    throw new Fail(`${name} takes ${expected} argument(s), got ${args.length}`);
  }
  args.forEach((arg, index) => {
    const param = params[Math.min(index, params.length - 1)] ?? "any";
    if (arg.kind === "path" || arg.kind === "call" || param === "any") return;
    if (arg.kind !== param) {
      throw new Fail(
        `${name} argument ${index + 1} must be ${param === "array" || param === "json" ? `a path to ${param === "array" ? "an array" : "a JSON value"}` : `a ${param}`}, not a ${arg.kind} literal`,
      );
    }
  });
  const algorithm = args[1];
  if (name === "States.Hash" && algorithm?.kind === "string" && !isHashAlgorithm(algorithm.value)) {
    throw new Fail(`States.Hash supports ${HASH_ALGORITHMS.join(", ")}, not ${algorithm.value}`);
  }
  if (name === "States.JsonMerge" && args[2]?.kind === "boolean" && args[2].value !== "false") {
    throw new Fail("States.JsonMerge supports only shallow merges: its third argument must be false");
  }
}

export function looksLikeIntrinsic(text: string): boolean {
  return text.trimStart().startsWith("States.");
}

/** Why `text` is not one well-formed intrinsic call, or undefined when it is. */
export function intrinsicProblem(text: string): string | undefined {
  const parser = new Parser(text.trim());
  try {
    parser.call();
    if (parser.i !== parser.text.length)
      return `unexpected text after the call: ${parser.text.slice(parser.i)}`;
    return undefined;
  } catch (error) {
    if (error instanceof Fail) return error.message;
    throw error;
  }
}
