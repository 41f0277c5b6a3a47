import { evaluatePath, type PathMatch } from "./json-path.ts";

// The context object that `$$` paths read (Step Functions "Context object"). The interpreter
// builds one per state entry; it is plain JSON so it can be stored with the snapshot.

export interface ContextObject {
  Execution: {
    Id: string;
    Name: string;
    Input: unknown;
    StartTime: string;
    RoleArn?: string;
    RedriveCount?: number;
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

/** Resolves a path against the state input (`$…`) or the context object (`$$…`). */
export function resolvePath(path: string, input: unknown, context: ContextObject): PathMatch {
  return path.startsWith("$$") ? evaluatePath(context, path) : evaluatePath(input, path);
}
