import { NOT_MATCHED_BY_ALL, StatesError } from "./errors.ts";

/**
 * Whether a Retrier's or Catcher's `ErrorEquals` matches `error`. `States.ALL` matches every
 * name except the terminal ones (States.Runtime, States.DataLimitExceeded), which match only when
 * named explicitly.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === StatesError.ALL && !NOT_MATCHED_BY_ALL.has(error)) return true;
  }
  return false;
}
