// Whether anyone lists an entity type: the list lease. A listing of a type keeps one KV key,
// `l/<tenant>/<type>`, alive for LIST_LEASE_MS; while it lives, a write that changes only an
// entity's version refreshes its list entry at KV's pace (about a second), as a write that adds,
// removes or re-times an entity always does. Nobody listing, the entry follows the version within
// INDEX_REFRESH_MS instead, so a busy entity of an unlisted type costs one KV write a minute
// rather than one a second (src/objects/entity-copies.ts).
//
// Both sides remember what they learnt in this isolate: a listing writes the key about twice per
// lease, whatever the number of listings, and an object asks KV at most once per
// LEASE_CHECK_MS for all the entities of a type in its isolate.
import { KV_MIN_TTL_MS } from "./entity-cache";

/** How long one listing keeps its type listed. */
export const LIST_LEASE_MS = 5 * 60_000;
/** How late an entity's list entry may show its version when nobody lists its type. */
export const INDEX_REFRESH_MS = 60_000;
/** How long an object trusts what it learnt of a lease: how soon it notices that listing began. */
export const LEASE_CHECK_MS = 10_000;

const MAX_REMEMBERED = 10_000;

const leaseKey = (tenant: string, type: string) => `l/${tenant}/${type}`;

/** Per isolate: until when a type is known listed, and when that was learnt. */
const known = new Map<string, { until: number; learntAt: number }>();

function remember(key: string, until: number, now: number): void {
  if (known.size >= MAX_REMEMBERED && !known.has(key)) known.delete(known.keys().next().value!);
  known.set(key, { until, learntAt: now });
}

/** A listing of the type: renews its lease when less than half of it is left. */
export async function noteListing(kv: KVNamespace, tenant: string, type: string, now: number): Promise<void> {
  const key = leaseKey(tenant, type);
  const seen = known.get(key);
  if (seen && seen.until - now > LIST_LEASE_MS / 2) return;
  const until = now + LIST_LEASE_MS;
  remember(key, until, now);
  await kv.put(key, "", {
    metadata: { until },
    expirationTtl: Math.ceil(Math.max(LIST_LEASE_MS, KV_MIN_TTL_MS) / 1000),
  });
}

/** Whether the type's lease runs at `now`, as KV said at most LEASE_CHECK_MS ago. */
export async function isListed(kv: KVNamespace, tenant: string, type: string, now: number): Promise<boolean> {
  const key = leaseKey(tenant, type);
  const seen = known.get(key);
  if (seen && (now - seen.learntAt < LEASE_CHECK_MS || seen.until > now)) return seen.until > now;
  const { metadata } = await kv.getWithMetadata<{ until?: unknown }>(key);
  const until = typeof metadata?.until === "number" ? metadata.until : 0;
  remember(key, until, now);
  return until > now;
}
