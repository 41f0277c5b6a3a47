// A transactional read (POST /v1/transactions/get): up to 100 entities as of one point in time,
// without taking any hold, so reads never slow writers down. Every entity is read in rounds; the
// answer is the last round when two rounds in a row found every entity at the same token and none
// held by a transaction.
//
// Why that is one point in time with no transaction partly visible: all reads of a round end
// before the next round starts, so some instant t lies inside every entity's pair of reads; an
// unchanged token means the entity did not change in between, so the values are those at t. A
// transaction partly applied at t would still hold every participant it had not applied yet, and a
// hold that lasts from before t until a change after t was there at the second read: seen. A
// round meeting a hold waits (briefly, at the participant) for it to end first.
import type { EntityAddress } from "../core/entity/contract";
import { fail, ok, type Result } from "../core/result";
import type { SnapshotRead } from "../core/transactions/contract";
import { CONFLICT_RETRY_AFTER_S } from "../core/transactions/outcome";
import { entityStub } from "./names";

export interface ReadItem {
  type: string;
  id: string;
  version: number | null;
  /** JSON text; null for a missing entity. */
  body: string | null;
}

const MAX_ROUNDS = 12;
/** How long one round's read waits at a held entity for its transaction to be decided. */
const HOLD_WAIT_MS = 250;

export async function readTransactionally(
  env: Env,
  tenant: string,
  items: { type: string; id: string }[],
): Promise<Result<ReadItem[]>> {
  const addresses: EntityAddress[] = items.map(({ type, id }) => ({ tenant, type, id }));
  const kept: (SnapshotRead | null)[] = addresses.map(() => null);
  let previous: SnapshotRead[] | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const reads = await Promise.all(
      addresses.map(async (address, i): Promise<Result<SnapshotRead>> => {
        const stub = entityStub(env, address);
        return stub.snapshot(address, { body: kept[i] === null, waitMs: HOLD_WAIT_MS });
      }),
    );
    const failed = reads.find((r) => !r.ok);
    if (failed && !failed.ok) return failed;
    const now = reads.map((r) => (r as { ok: true; value: SnapshotRead }).value);
    now.forEach((read, i) => {
      if (read.body !== undefined) kept[i] = read;
      else if (kept[i]?.token !== read.token) kept[i] = null;
    });
    const stable =
      previous !== null &&
      now.every(
        (read, i) =>
          !read.held &&
          !previous![i]!.held &&
          read.token === previous![i]!.token &&
          kept[i]?.token === read.token,
      );
    if (stable) {
      return ok(
        items.map(({ type, id }, i) => ({
          type,
          id,
          version: kept[i]!.version,
          body: kept[i]!.body ?? null,
        })),
      );
    }
    previous = now;
  }
  return fail(
    "transaction_conflict",
    `writes kept changing these entities during ${MAX_ROUNDS} rounds of reads; retry`,
    {
      retryAfterSeconds: CONFLICT_RETRY_AFTER_S,
    },
  );
}
