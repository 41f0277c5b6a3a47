// The one module that knows how state machines and executions sit in Workers KV. Like the entity
// copies, these are list indexes only, never a source of truth: the MachineObject writes a
// machine's key after each commit, each ExecutionObject writes its own key when it starts and
// when it ends. Listing is therefore eventually consistent (a write made in another location can
// take up to a minute to show), and nothing here sits on the path of a start.
//
// Keys:
//   m/<tenant>/<machine>                                  metadata {v, c, u}
//   x/<tenant>/<machine>/<inverted start ms>-<execution>  metadata {s, t, e, v}
//   r/<tenant>/<inverted start ms>/<machine>/<execution>  metadata {s, t, e, v}: the tenant's
//     executions across machines, written beside the x/ key (names never contain "/")
// KV lists keys in byte order, so the inverted start time lists executions newest first.
import type { ExecutionStatus } from "../machine/snapshot.ts";

export interface MachineMetadata {
  /** Latest version. */
  v: number;
  /** When the machine (its first version) was created, epoch ms. */
  c: number;
  /** When the latest version was created, epoch ms. */
  u: number;
  /** Present for an EXPRESS machine (absent: STANDARD). */
  y?: "EXPRESS";
}

export interface ExecutionMetadata {
  s: ExecutionStatus;
  /** startedAt, epoch ms */
  t: number;
  /** stoppedAt, epoch ms, or null while running */
  e: number | null;
  /** machine version */
  v: number;
  /** Times redriven (absent: never), and when last, epoch ms. */
  r?: number;
  d?: number;
}

const INVERT_FROM = 9_999_999_999_999;
const machinePrefix = (tenant: string) => `m/${tenant}/`;
const executionPrefix = (tenant: string, machine: string) => `x/${tenant}/${machine}/`;

export const machineKey = (tenant: string, machine: string) => `${machinePrefix(tenant)}${machine}`;

const executionKey = (tenant: string, machine: string, execution: string, startedAt: number) =>
  `${executionPrefix(tenant, machine)}${inverted(startedAt)}-${execution}`;

export const writeMachine = (kv: KVNamespace, tenant: string, machine: string, meta: MachineMetadata) =>
  kv.put(machineKey(tenant, machine), "", { metadata: meta });

export const deleteMachine = (kv: KVNamespace, tenant: string, machine: string) =>
  kv.delete(machineKey(tenant, machine));

const inverted = (startedAt: number) => String(INVERT_FROM - startedAt).padStart(13, "0");
const recentPrefix = (tenant: string) => `r/${tenant}/`;

/** Both index keys of one execution: under its machine, and in the tenant's recent list. */
export async function writeExecution(
  kv: KVNamespace,
  address: { tenant: string; machine: string; execution: string },
  startedAt: number,
  meta: ExecutionMetadata,
): Promise<void> {
  const { tenant, machine, execution } = address;
  const recent = `${recentPrefix(tenant)}${inverted(startedAt)}/${machine}/${execution}`;
  await Promise.all([
    kv.put(executionKey(tenant, machine, execution, startedAt), "", { metadata: meta }),
    kv.put(recent, "", { metadata: meta }),
  ]);
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export async function listMachines(
  kv: KVNamespace,
  query: { tenant: string; limit: number; cursor?: string },
): Promise<Page<{ name: string } & MachineMetadata>> {
  const base = machinePrefix(query.tenant);
  const page = await kv.list<MachineMetadata>({ prefix: base, limit: query.limit, cursor: query.cursor });
  const items = page.keys
    .filter((k) => isMachineMetadata(k.metadata))
    .map((k) => ({ name: k.name.slice(base.length), ...(k.metadata as MachineMetadata) }));
  return { items, cursor: page.list_complete ? null : page.cursor };
}

/** KV pages read per request when a status filter thins them out. */
const MAX_PAGES = 5;

type StatusQuery = {
  limit: number;
  cursor?: string;
  status?: ExecutionStatus;
  /** Further filters (a machine version, redriven or not), applied like the status. */
  where?: (meta: ExecutionMetadata) => boolean;
};

/**
 * Newest first. With a status filter a page may hold fewer than `limit` items and still carry a
 * cursor: the filter runs over at most MAX_PAGES KV pages per call.
 */
export function listExecutions(
  kv: KVNamespace,
  query: { tenant: string; machine: string } & StatusQuery,
): Promise<Page<{ name: string } & ExecutionMetadata>> {
  const base = executionPrefix(query.tenant, query.machine);
  return listByStatus(kv, base, query, (rest) => ({ name: rest.slice(14) }));
}

/** The tenant's executions across machines, newest first (deleted machines' included). */
export function listRecentExecutions(
  kv: KVNamespace,
  query: { tenant: string } & StatusQuery,
): Promise<Page<{ machine: string; name: string } & ExecutionMetadata>> {
  return listByStatus(kv, recentPrefix(query.tenant), query, (rest) => {
    const [, machine = "", name = ""] = rest.split("/");
    return { machine, name };
  });
}

async function listByStatus<T>(
  kv: KVNamespace,
  prefix: string,
  query: StatusQuery,
  nameOf: (rest: string) => T,
): Promise<Page<T & ExecutionMetadata>> {
  const items: (T & ExecutionMetadata)[] = [];
  let cursor = query.cursor;
  for (let pages = 0; pages < MAX_PAGES && items.length < query.limit; pages++) {
    const page = await kv.list<ExecutionMetadata>({ prefix, limit: query.limit - items.length, cursor });
    for (const k of page.keys) {
      const meta = k.metadata;
      if (!isExecutionMetadata(meta) || (query.status && meta.s !== query.status)) continue;
      if (query.where && !query.where(meta)) continue;
      items.push({ ...nameOf(k.name.slice(prefix.length)), ...meta });
    }
    if (page.list_complete) return { items, cursor: null };
    cursor = page.cursor;
  }
  return { items, cursor: cursor ?? null };
}

function isMachineMetadata(m: unknown): m is MachineMetadata {
  const r = m as Record<string, unknown> | null;
  return typeof r?.v === "number" && typeof r.c === "number" && typeof r.u === "number";
}

function isExecutionMetadata(m: unknown): m is ExecutionMetadata {
  const r = m as Record<string, unknown> | null;
  return typeof r?.s === "string" && typeof r.t === "number" && typeof r.v === "number";
}
