// A per-isolate cache of ACTIVE index definitions, so queries do not all go through the type's one
// catalog object. An entry lives CATALOG_TTL_MS; a definition or drop made in this isolate forgets
// it at once, and a query that reaches a retired shard (the index was dropped or rebuilt
// elsewhere) reads the catalog again. BUILDING is never cached: the first query after a build
// finishes sees it.
import type { IndexView } from "../../../core/indexes/contract";
import type { Result } from "../../../core/result";
import { catalogStub } from "../../../objects/names";

export const CATALOG_TTL_MS = 2_000;
const MAX_ENTRIES = 1_024;

const views = new Map<string, { view: IndexView; at: number }>();
const keyOf = (tenant: string, type: string, index: string) => `${tenant}/${type}/${index}`;

export function forgetIndex(tenant: string, type: string, index: string): void {
  views.delete(keyOf(tenant, type, index));
}

export async function indexView(
  env: Env,
  tenant: string,
  type: string,
  index: string,
  { fresh = false } = {},
): Promise<Result<IndexView>> {
  const key = keyOf(tenant, type, index);
  const hit = views.get(key);
  if (!fresh && hit && Date.now() - hit.at < CATALOG_TTL_MS) return { ok: true, value: hit.view };
  const read = await catalogStub(env, { tenant, type }).describe(index);
  views.delete(key);
  if (read.ok && read.value.status === "ACTIVE") {
    views.set(key, { view: read.value, at: Date.now() });
    while (views.size > MAX_ENTRIES) views.delete(views.keys().next().value as string);
  }
  return read;
}
