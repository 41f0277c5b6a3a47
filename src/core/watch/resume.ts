// Where a watcher starts, given what it already has (`since`) and what the object still keeps.
// The same rule for every watchable object: replay what is kept, or say there is a gap and send
// the current state.

export interface Kept {
  /** The oldest seq the object can still replay; null when it keeps none. */
  oldest: number | null;
  /** The current seq (0: nothing has happened yet). */
  latest: number;
}

export interface ResumePlan {
  /** The watcher missed messages the object no longer keeps (or names a seq it never had). */
  gap?: { oldest: number | null };
  /** Replay the kept messages from this seq on. */
  replayFrom?: number;
  /** Send the current state. */
  current: boolean;
}

export function planResume(since: number | null, kept: Kept): ResumePlan {
  if (since === null) return { current: true };
  if (since === kept.latest) return { current: false };
  if (since > kept.latest) return { gap: { oldest: kept.oldest }, current: true };
  if (kept.oldest !== null && since + 1 >= kept.oldest) return { replayFrom: since + 1, current: false };
  return { gap: { oldest: kept.oldest }, current: true };
}
