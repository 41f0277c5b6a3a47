// A tenant's entity types, for GET /v1/entities. Candidates come from the tenant's registry
// (every entity object registers before its first commit, in one of REGISTRY_SHARDS shards); a
// candidate is listed when the KV list index still holds a live entity of it, so a type whose
// entities were all deleted or expired drops out, as its documents do from its own listing.
import { hasLiveEntities } from "../cache/entity-cache";
import { REGISTRY_SHARDS } from "../core/registry";
import { registryStub } from "./names";

export interface TypePage {
  types: string[];
  /** The last type looked at, when there may be more. */
  cursor: string | null;
}

/**
 * Types in the order of their keys (`<type>/…`), after `after`. Every shard is asked for `limit`
 * candidates; the first `limit` of their union are checked. A page may hold fewer types than
 * `limit` (some had no live entity) and still carry a cursor.
 */
export async function listEntityTypes(
  env: Env,
  tenant: string,
  query: { after: string; limit: number },
  now: number,
): Promise<TypePage> {
  const shards = await Promise.all(
    Array.from({ length: REGISTRY_SHARDS }, (_, shard) =>
      registryStub(env, tenant, shard).entityTypes(query.after, query.limit),
    ),
  );
  const byKey = (a: string, b: string) => (`${a}/` < `${b}/` ? -1 : `${a}/` > `${b}/` ? 1 : 0);
  const union = [...new Set(shards.flat())].sort(byKey);
  const candidates = union.slice(0, query.limit);
  const live = await Promise.all(candidates.map((type) => hasLiveEntities(env.CACHE, tenant, type, now)));
  const more = union.length > query.limit || shards.some((s) => s.length === query.limit);
  return {
    types: candidates.filter((_, i) => live[i]),
    cursor: more && candidates.length > 0 ? candidates[candidates.length - 1]! : null,
  };
}
