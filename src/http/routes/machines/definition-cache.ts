// Per-isolate caches in front of MachineObject, so starting executions does not go through one
// object per machine on every request.
//
// - A definition version is immutable (version numbers are never reused, even after a delete), so
//   it is cached by tenant/machine/version with no expiry, in a bounded LRU map.
// - "Which version is latest" may be cached for LATEST_TTL_MS. A PUT invalidates it in the isolate
//   that made it; other isolates may start new executions on the previous version for up to that
//   long (Step Functions' UpdateStateMachine is likewise eventually consistent for new executions).
import { fail, ok, type Result } from "../../../core/result";
import type { StateMachineDefinition } from "../../../machine/engine.ts";
import { machineStub } from "../../../objects/names";

export const LATEST_TTL_MS = 2_000;
const MAX_DEFINITIONS = 256;
const MAX_POINTERS = 1_024;

export interface CachedDefinition {
  version: number;
  createdAt: number;
  /** Canonical JSON text. */
  text: string;
  definition: StateMachineDefinition;
}

const definitions = new Map<string, CachedDefinition>();
const pointers = new Map<string, { version: number; at: number }>();

const machineKey = (tenant: string, machine: string) => `${tenant}/${machine}`;
const versionKey = (tenant: string, machine: string, version: number) => `${tenant}/${machine}/${version}`;

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/** Call after a PUT or DELETE in this isolate. */
export function forgetLatest(tenant: string, machine: string): void {
  pointers.delete(machineKey(tenant, machine));
}

export function cacheDefinition(tenant: string, machine: string, entry: CachedDefinition): void {
  remember(definitions, versionKey(tenant, machine, entry.version), entry, MAX_DEFINITIONS);
}

export async function definitionAt(
  env: Env,
  tenant: string,
  machine: string,
  version?: number,
): Promise<Result<CachedDefinition>> {
  const now = Date.now();
  let wanted = version;
  if (wanted === undefined) {
    const pointer = pointers.get(machineKey(tenant, machine));
    if (pointer && now - pointer.at < LATEST_TTL_MS) wanted = pointer.version;
  }
  if (wanted !== undefined) {
    const hit = definitions.get(versionKey(tenant, machine, wanted));
    if (hit) {
      remember(definitions, versionKey(tenant, machine, wanted), hit, MAX_DEFINITIONS);
      return ok(hit);
    }
  }
  const read = await machineStub(env, tenant, machine).get({ tenant, machine }, wanted);
  if (!read.ok) return read;
  let definition: StateMachineDefinition;
  try {
    definition = JSON.parse(read.value.definition) as StateMachineDefinition;
  } catch {
    return fail("undecryptable", "the stored definition is not valid JSON");
  }
  const entry = {
    version: read.value.version,
    createdAt: read.value.createdAt,
    text: read.value.definition,
    definition,
  };
  cacheDefinition(tenant, machine, entry);
  if (version === undefined) {
    remember(pointers, machineKey(tenant, machine), { version: entry.version, at: now }, MAX_POINTERS);
  }
  return ok(entry);
}
