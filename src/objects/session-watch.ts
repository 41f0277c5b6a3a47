// What a session's watchers hear beyond its data changes: how its watch ends (revoked, expired),
// and what a new watcher gets first (a gap, then the current data). A session keeps only its
// current version, so a watcher that missed any is told of a gap.
import { ok, type Result } from "../core/result";
import type { Announcement, WatchMessage, WatchStart } from "../core/watch/contract";
import { expired, gap, revoked, sessionData } from "../core/watch/messages";
import { planResume } from "../core/watch/resume";

/** A session that ends ends its watch: the client is told why, and does not resume. */
const ended = (message: WatchMessage, why: string): Announcement => ({
  messages: [message],
  end: { code: 1000, reason: why },
});
export const REVOKED = ended(revoked, "the session was revoked");
export const EXPIRED = ended(expired, "the session expired");

/** A live session's watch start: `open` gives its current data in plaintext. */
export async function sessionWatchStart(
  version: number,
  since: number | null,
  open: () => Promise<Result<string>>,
): Promise<Result<WatchStart>> {
  const plan = planResume(since, { oldest: version, latest: version });
  const messages: WatchMessage[] = plan.gap ? [gap(plan.gap.oldest)] : [];
  if (plan.current || plan.replayFrom !== undefined) {
    const data = await open();
    if (!data.ok) return data;
    messages.push(sessionData(version, data.value));
  }
  return ok({ messages, seq: version });
}
