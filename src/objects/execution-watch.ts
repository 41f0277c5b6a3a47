// What an execution's watchers hear: every history event as its batch commits (the shape
// `GET …/history` lists), and the status when the execution ends, after which the watch is over.
// A new watcher first gets the status, then every event after `since` (all of them by default);
// whenever a watch closes because the execution ended, its last message is the final status.
import { ok, type Result } from "../core/result";
import type { Announcement, WatchEnd, WatchMessage, WatchStart } from "../core/watch/contract";
import { executionEvent, executionStatus, gap } from "../core/watch/messages";
import { planResume } from "../core/watch/resume";
import type { ExecutionAddress, ExecutionDescription } from "../executions/contract";
import { toApiEvent } from "../executions/describe";
import { type ExecutionSnapshot, MAX_HISTORY_EVENTS, type StepResult } from "../machine/engine.ts";
import type { ExecutionState, Loaded } from "./execution-state";

const ENDED: WatchEnd = { code: 1000, reason: "the execution has ended" };

/** How an execution is described (the API's shape; it depends on the execution's clock). */
type Describe = (snapshot: ExecutionSnapshot) => ExecutionDescription;

/** What one batch tells the watchers once it has committed; `before` is null for the first. */
export function batchAnnouncement(
  before: ExecutionSnapshot | null,
  result: StepResult,
  describe: Describe,
): Announcement {
  const messages = result.events.map((e) => executionEvent(toApiEvent(e)));
  const ended = result.snapshot.status !== "RUNNING" && (before === null || before.status === "RUNNING");
  if (!ended) return { messages };
  return { messages: [...messages, executionStatus(describe(result.snapshot))], end: ENDED };
}

export async function executionWatchStart(
  state: ExecutionState,
  address: ExecutionAddress,
  { snapshot }: Loaded,
  since: number | null,
  describe: Describe,
): Promise<Result<WatchStart>> {
  const latest = snapshot.eventCounter;
  const plan = planResume(since ?? 0, { oldest: latest > 0 ? 1 : null, latest });
  const status = executionStatus(describe(snapshot));
  const messages: WatchMessage[] = [status];
  if (plan.gap) messages.push(gap(plan.gap.oldest));
  const from = plan.gap ? 1 : plan.replayFrom;
  if (from !== undefined) {
    // The replay goes out over the socket event by event, not as one RPC value: no byte budget.
    const page = await state.history(address, { limit: MAX_HISTORY_EVENTS, after: from - 1 }, Infinity);
    if (!page.ok) return page;
    messages.push(...page.value.events.map(executionEvent));
  }
  if (snapshot.status === "RUNNING") return ok({ messages, seq: latest });
  if (messages.length > 1) messages.push(status);
  return ok({ messages, seq: latest, end: ENDED });
}
