import { evaluatePath, type ParsedPath, type PathMatch, parsePath } from "./json-path.ts";

/** The variables a state can read (Assign), by name. */
export type Variables = Readonly<Record<string, unknown>>;

// The context object that `$$` paths read (Step Functions "Context object"). The interpreter
// builds one per state entry; it is plain JSON so it can be stored with the snapshot.

export interface ContextObject {
  Execution: {
    Id: string;
    Name: string;
    Input: unknown;
    StartTime: string;
    RoleArn: string;
    RedriveCount: number;
    RedriveStatus?: string;
  };
  StateMachine: { Id: string; Name: string };
  State: { Name: string; EnteredTime: string; RetryCount: number };
  /** Present only inside a Map iteration's ItemSelector. */
  Map?: { Item: { Index: number; Value: unknown } };
  /** Present only for `.waitForTaskToken` tasks. */
  Task?: { Token: string };
}

/** Resolves a `$$…` path against the context object (`$$` is the whole object). */
export function resolveContextPath(context: ContextObject, path: string): PathMatch {
  if (!path.startsWith("$$")) return { found: false };
  return evaluatePath(context, path);
}

/**
 * The document a parsed path reads: the context object (`$$…`), a variable (`$name…`) or the
 * input (`$…`). An unassigned variable is "not found", like a missing field.
 */
export function documentOf(
  parsed: ParsedPath,
  input: unknown,
  context: ContextObject | undefined,
  variables: Variables = {},
): PathMatch {
  if (parsed.root === "$$") return context === undefined ? { found: false } : { found: true, value: context };
  if (parsed.variable !== undefined) {
    return Object.hasOwn(variables, parsed.variable)
      ? { found: true, value: variables[parsed.variable] }
      : { found: false };
  }
  return { found: true, value: input };
}

/** Evaluates a parsed path against the document it names. */
export function evaluateOver(
  parsed: ParsedPath,
  input: unknown,
  context: ContextObject | undefined,
  variables?: Variables,
): PathMatch {
  const document = documentOf(parsed, input, context, variables);
  return document.found ? evaluatePath(document.value, parsed) : document;
}

/** Resolves a path against the state input (`$…`), a variable (`$name…`) or the context (`$$…`). */
export function resolvePath(
  path: string,
  input: unknown,
  context: ContextObject,
  variables?: Variables,
): PathMatch {
  const parsed = parsePath(path);
  return parsed.ok ? evaluateOver(parsed.value, input, context, variables) : { found: false };
}
