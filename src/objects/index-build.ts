// The work an entity type's index catalog owes, one step at a time from its alarm: announcing its
// generations to the tenant's registry, retiring the shards of generations it dropped or
// replaced, and building new generations over the entities the type already has.
//
// A build, and why no entity is missed, not even one written while it runs:
//  1. The new generation enters the catalog with a new epoch (core/indexes/catalog.ts).
//  2. The snapshot is announced to all REGISTRY_SHARDS shards of the tenant's registry. Every
//     entity registers in one of them before its first commit, and the registry answers with its
//     type's snapshot (tenant-registry.ts). A shard does one thing at a time, so for each entity
//     either its registration came first, and the walk below finds it, or the announcement came
//     first, and the entity's first commit already delivers to the new generation.
//  3. Only then is each registry shard walked, page by page, for the type's entities. Each is
//     asked to join (EntityObject.joinIndexes): in its write queue it learns the snapshot, so
//     every later commit delivers to the generation, and its current state goes to the generation
//     through its outbox; it answers once that is acknowledged. A write that raced ahead of the
//     visit is in the state the visit delivers; a write after it delivers itself.
//  4. Entities that did not answer are visited again after the walk, until every one has.
//  5. Then the generation serves queries (ACTIVE); the generation it replaces, if any, retires.
// An entity whose own registration failed is not in the registry yet: it is indexed when the
// registration, retried from its alarm every minute, lands and tells it the snapshot.
import { type CatalogState, finishBuild, generationsOf } from "../core/indexes/catalog";
import type { CatalogAddress, CatalogSnapshot } from "../core/indexes/contract";
import { REGISTRY_SHARDS } from "../core/registry";
import { entityStub, registryStub, shardStub } from "./names";

/** Entities visited per step, and how many at once: each visit is one RPC and one delivery. */
export const BUILD_PAGE = 128;
const PARALLEL = 16;

export interface WorkOutcome {
  next: CatalogState;
  /** Entities to visit again after the walk, and ones visited again successfully. */
  failed: string[];
  joined: string[];
  /** Something did not answer: the next step waits out a backoff. */
  stalled: boolean;
}

export const snapshotOf = (state: CatalogState): CatalogSnapshot => ({
  epoch: state.epoch,
  gens: generationsOf(state),
});

export async function workStep(
  env: Env,
  address: CatalogAddress,
  state: CatalogState,
  retryPage: (limit: number) => string[],
): Promise<WorkOutcome> {
  const outcome: WorkOutcome = { next: state, failed: [], joined: [], stalled: false };
  await announce(env, address, outcome);
  await retire(env, address, outcome);
  if (outcome.next.build && outcome.next.announced.length === REGISTRY_SHARDS) {
    await walk(env, address, outcome, retryPage);
  }
  return outcome;
}

export async function announce(env: Env, address: CatalogAddress, outcome: WorkOutcome): Promise<void> {
  const state = outcome.next;
  const snapshot = snapshotOf(state);
  const missing = Array.from({ length: REGISTRY_SHARDS }, (_, i) => i).filter(
    (i) => !state.announced.includes(i),
  );
  if (missing.length === 0) return;
  const results = await Promise.allSettled(
    missing.map((shard) => registryStub(env, address.tenant, shard).announce(address.type, snapshot)),
  );
  const done = missing.filter((_, i) => results[i]!.status === "fulfilled");
  if (done.length < missing.length) outcome.stalled = true;
  outcome.next = { ...state, announced: [...state.announced, ...done].sort((a, b) => a - b) };
}

async function retire(env: Env, address: CatalogAddress, outcome: WorkOutcome): Promise<void> {
  const retiring = [];
  for (const { gen, shards } of outcome.next.retiring) {
    const results = await Promise.allSettled(
      shards.map((shard) => shardStub(env, { ...address, index: gen.index, gen: gen.gen, shard }).retire()),
    );
    const left = shards.filter((_, i) => results[i]!.status === "rejected");
    if (left.length > 0) {
      outcome.stalled = true;
      retiring.push({ gen, shards: left });
    }
  }
  outcome.next = { ...outcome.next, retiring };
}

async function walk(
  env: Env,
  address: CatalogAddress,
  outcome: WorkOutcome,
  retryPage: (limit: number) => string[],
): Promise<void> {
  const build = outcome.next.build!;
  const snapshot = snapshotOf(outcome.next);
  if (build.retrying) {
    const ids = retryPage(BUILD_PAGE);
    if (ids.length === 0) {
      outcome.next = finishBuild(outcome.next);
      return;
    }
    const failed = await join(env, address, snapshot, ids);
    outcome.joined = ids.filter((id) => !failed.includes(id));
    outcome.failed = failed;
    if (outcome.joined.length === 0) outcome.stalled = true;
    return;
  }
  // Registry shards hold few of a type's entities, or none: a step reads on into the next shards
  // until it has a page's worth, then visits them all, PARALLEL at a time.
  let next = build;
  const ids: string[] = [];
  while (ids.length < BUILD_PAGE && !next.retrying) {
    const limit = BUILD_PAGE - ids.length;
    const page = await registryStub(env, address.tenant, next.shard).entitiesOfType(
      address.type,
      next.after,
      limit,
    );
    ids.push(...page);
    const full = page.length === limit;
    const shard = full ? next.shard : next.shard + 1;
    next = {
      ...next,
      visited: next.visited + page.length,
      shard: Math.min(shard, REGISTRY_SHARDS - 1),
      after: full ? page[page.length - 1]! : null,
      retrying: shard === REGISTRY_SHARDS,
    };
  }
  outcome.failed = await join(env, address, snapshot, ids);
  outcome.next = { ...outcome.next, build: next };
}

/** Visits `ids`, a few at a time; returns the ones that did not confirm they joined. */
async function join(
  env: Env,
  address: CatalogAddress,
  snapshot: CatalogSnapshot,
  ids: string[],
): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < ids.length; i += PARALLEL) {
    const batch = ids.slice(i, i + PARALLEL);
    const results = await Promise.allSettled(
      batch.map((id) => {
        const entity = { tenant: address.tenant, type: address.type, id };
        return entityStub(env, entity).joinIndexes(entity, snapshot);
      }),
    );
    results.forEach((result, j) => {
      if (result.status === "rejected" || !result.value.ok || result.value.value.pending > 0) {
        if (result.status === "rejected") logFailure(batch[j]!, result.reason);
        failed.push(batch[j]!);
      }
    });
  }
  return failed;
}

function logFailure(id: string, cause: unknown): void {
  console.error(JSON.stringify({ event: "index_build_visit_failed", id, cause: String(cause) }));
}
