// Key rotation's walk over one tenant: every object in the tenant's registry (core/registry.ts),
// shard by shard, each asked to re-seal its values under the primary key. The registry is written
// by the objects themselves before their first commit, so the walk depends on no eventually
// consistent listing. A value that cannot be opened stops the walk (its key left the ring too
// early: nothing later would open either); an object that does not answer is reported and passed.
import {
  decodeCursor,
  encodeCursor,
  REGISTRY_SHARDS,
  type RegisteredObject,
  type WalkCursor,
} from "../core/registry";
import { type Failure, fail, ok, type Result } from "../core/result";
import { registeredStub, registryStub } from "./names";

/** Objects re-sealed at once: each is one RPC, well inside a request's budget. */
const PARALLEL = 8;

export interface WalkPage {
  /** Objects visited in this call. */
  done: number;
  /** Stored values re-sealed. */
  reencrypted: number;
  /** Objects that did not answer: run the walk again for them. */
  unreached: { kind: string; name: string; cause: string }[];
  cursor: string | null;
}

export async function reencryptTenant(
  env: Env,
  tenant: string,
  limit: number,
  cursorText: string | undefined,
): Promise<Result<WalkPage>> {
  let cursor: WalkCursor | null =
    cursorText === undefined ? { shard: 0, after: null } : decodeCursor(cursorText);
  if (!cursor) {
    const message = "not a cursor this service issued";
    return fail("invalid", "the cursor is not valid for this walk", {
      errors: [{ pointer: "/query/cursor", message }],
    });
  }
  const page: WalkPage = { done: 0, reencrypted: 0, unreached: [], cursor: null };
  while (cursor && page.done < limit) {
    const remaining = limit - page.done;
    const objects: RegisteredObject[] = await registryStub(env, tenant, cursor.shard).page(
      cursor.after,
      remaining,
    );
    for (let i = 0; i < objects.length; i += PARALLEL) {
      const failure = await visit(env, tenant, objects.slice(i, i + PARALLEL), page);
      if (failure) return failure;
    }
    page.done += objects.length;
    const last: RegisteredObject | undefined = objects[objects.length - 1];
    // A full page may have more behind it in this shard; a short one finished the shard.
    if (last && objects.length === remaining) cursor = { shard: cursor.shard, after: last };
    else cursor = cursor.shard + 1 < REGISTRY_SHARDS ? { shard: cursor.shard + 1, after: null } : null;
  }
  page.cursor = cursor ? encodeCursor(cursor) : null;
  return ok(page);
}

async function visit(
  env: Env,
  tenant: string,
  objects: RegisteredObject[],
  page: WalkPage,
): Promise<Failure | null> {
  const results = await Promise.allSettled(objects.map((o) => registeredStub(env, tenant, o).reencrypt()));
  for (const [i, result] of results.entries()) {
    if (result.status === "rejected") {
      const { kind, name } = objects[i]!;
      page.unreached.push({ kind, name, cause: String(result.reason) });
    } else if (!result.value.ok) return result.value;
    else page.reencrypted += result.value.value.reencrypted;
  }
  return null;
}
