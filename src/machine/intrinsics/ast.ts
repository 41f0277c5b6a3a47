import type { ParsedPath } from "../paths/json-path-ast.ts";

// The parsed form of an intrinsic call such as `States.Format('{} {}', $.a, States.UUID())`.

export type IntrinsicArgument =
  /** `raw` keeps the escapes (`\{`) because States.Format must tell `\{}` from `{}`. */
  | { kind: "string"; value: string; raw: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "path"; path: ParsedPath }
  | IntrinsicCall;

export interface IntrinsicCall {
  kind: "call";
  name: string;
  args: IntrinsicArgument[];
}
