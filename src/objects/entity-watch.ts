// What a new watcher of an entity gets first: the versions after `since` while they are kept;
// otherwise a gap, then the current state (or `expired`, `missing`). Live versions follow from
// the entity's commits (entity-object.ts announces each one).
import { ok, type Result } from "../core/result";
import type { WatchMessage, WatchStart } from "../core/watch/contract";
import { entityVersion, expired, gap, missing } from "../core/watch/messages";
import { planResume } from "../core/watch/resume";
import type { EntityStore, VersionRow } from "./entity-store";

export async function entityWatchStart(
  store: EntityStore,
  since: number | null,
  open: (row: VersionRow) => Promise<Result<string>>,
): Promise<Result<WatchStart>> {
  const latest = store.latest();
  const purged = store.purgedVersion();
  const current = latest?.version ?? purged;
  const plan = planResume(since, { oldest: store.oldestVersion(), latest: current });
  const messages: WatchMessage[] = plan.gap ? [gap(plan.gap.oldest)] : [];
  const rows = plan.replayFrom === undefined ? [] : store.from(plan.replayFrom);
  if (plan.current && latest) rows.push(latest);
  for (const row of rows) {
    const body = row.body === null ? null : await open(row);
    if (body !== null && !body.ok) return body;
    messages.push(entityVersion({ ...row, expiresAt: row.expires_at, body: body?.value ?? null }));
  }
  // Nothing kept: the document expired (its counter stays) or never existed. An expiry has no
  // version of its own, so a resuming watcher is told again.
  if (!latest && (plan.current || purged > 0)) messages.push(purged > 0 ? expired : missing);
  return ok({ messages, seq: current });
}
