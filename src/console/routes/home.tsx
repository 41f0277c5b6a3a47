// The home page: counts read from one page of each listing, and the tenant's newest executions.
import type { Context, Hono } from "hono";
import type { ApiClient, ApiReply } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import { type Count, HomePage, type RecentExecution } from "../pages/home";

type Api = (c: Context<ConsoleEnv>) => ApiClient;
type Page<T> = { items: T[]; cursor: string | null };

/** Counting reads at most one page: beyond it the page says "1000+" (types: "100+"). */
const COUNT_PAGE = "1000";
const TYPES_PAGE = "100";

export function homePage(web: Hono<ConsoleEnv>, api: Api) {
  web.get("/console", async (c) => {
    const client = api(c);
    const tenant = c.get("session").tenant;
    const list = <T,>(path: string, query: Record<string, string> = {}) =>
      client.request<Page<T>>("GET", path, { query });
    const [machines, running, types, keys, recent] = await Promise.all([
      list("/v1/machines", { limit: COUNT_PAGE }),
      list("/v1/executions", { status: "RUNNING", limit: COUNT_PAGE }),
      list("/v1/entities", { limit: TYPES_PAGE }),
      list<{ revokedAt: string | null }>("/v1/keys", { tenant, limit: COUNT_PAGE }),
      list<RecentExecution>("/v1/executions", { limit: "10" }),
    ]);
    return page(
      c,
      { title: "Console" },
      <HomePage
        tenant={tenant}
        machines={count(machines)}
        running={count(running)}
        entityTypes={count(types)}
        keys={count(keys, (k) => k.revokedAt === null)}
        recent={recent.ok ? recent.body.items : []}
        recentProblem={recent.ok ? undefined : recent.problem}
      />,
    );
  });
}

/** undefined when the key may not list it (no admin scope for keys): the page says so. */
function count<T>(reply: ApiReply<Page<T>>, counts: (item: T) => boolean = () => true): Count | undefined {
  if (!reply.ok) return undefined;
  return { n: reply.body.items.filter(counts).length, more: reply.body.cursor !== null };
}
