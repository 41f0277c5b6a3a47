import { NOT_MATCHED_BY_ALL, StatesError } from "./errors.ts";

/**
 * Step Functions: "When used in a retry or catch, States.TaskFailed acts as a wildcard that
 * matches any known error name except for States.Timeout". A missed heartbeat is a kind of
 * timeout (States.Timeout covers "failed to send a heartbeat" too), so it is left out as well; the
 * terminal errors are left out as for States.ALL.
 */
const NOT_MATCHED_BY_TASK_FAILED: ReadonlySet<string> = new Set<string>([
  ...NOT_MATCHED_BY_ALL,
  StatesError.Timeout,
  StatesError.HeartbeatTimeout,
]);

/**
 * Whether a Retrier's or Catcher's `ErrorEquals` matches `error`. `States.ALL` matches every
 * name except the terminal ones (States.Runtime, States.DataLimitExceeded), which match only when
 * named explicitly; `States.TaskFailed` matches every name but those and the timeouts.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === StatesError.ALL && !NOT_MATCHED_BY_ALL.has(error)) return true;
    if (name === StatesError.TaskFailed && !NOT_MATCHED_BY_TASK_FAILED.has(error)) return true;
  }
  return false;
}
