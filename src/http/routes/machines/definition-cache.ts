// Per-isolate caches in front of MachineObject, so starting executions does not go through one
// object per machine on every request.
//
// - A definition version is immutable (version numbers are never reused, even after a delete), so
//   its text is cached by tenant/machine/version with no expiry, in a bounded LRU map.
// - Which versions exist — the span first..latest (VersionSpan) — may be cached for SPAN_TTL_MS,
//   and a cached definition is served only while a fresh span holds its number: the text outlives
//   a delete, the permission to start it does not. A PUT or DELETE drops the span in the isolate
//   that made it; other isolates learn of it within SPAN_TTL_MS, and until then may start new
//   executions on the previous latest version, or on a version of a machine deleted meanwhile
//   (Step Functions' UpdateStateMachine is likewise eventually consistent for new executions).
//   Asking the object at every start instead would make every start of a machine wait on it.
import type { VersionSpan } from "../../../core/machines/contract";
import { fail, ok, type Result } from "../../../core/result";
import type { StateMachineDefinition } from "../../../machine/engine.ts";
import { machineStub } from "../../../objects/names";

export const SPAN_TTL_MS = 2_000;
const MAX_DEFINITIONS = 256;
const MAX_SPANS = 1_024;

export interface CachedDefinition {
  version: number;
  createdAt: number;
  /** Canonical JSON text. */
  text: string;
  definition: StateMachineDefinition;
}

const definitions = new Map<string, CachedDefinition>();
const spans = new Map<string, VersionSpan & { at: number }>();

const machineKey = (tenant: string, machine: string) => `${tenant}/${machine}`;
const versionKey = (tenant: string, machine: string, version: number) => `${tenant}/${machine}/${version}`;

const noSuchMachine = (machine: string) => fail("not_found", `no state machine named "${machine}"`);
const noSuchVersion = (machine: string, version: number) =>
  fail("not_found", `state machine "${machine}" has no version ${version}`);

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/** Call after a PUT or DELETE in this isolate: the next use asks the object which versions exist. */
export function forgetSpan(tenant: string, machine: string): void {
  spans.delete(machineKey(tenant, machine));
}

export function cacheDefinition(tenant: string, machine: string, entry: CachedDefinition): void {
  remember(definitions, versionKey(tenant, machine, entry.version), entry, MAX_DEFINITIONS);
}

function freshSpan(key: string, now: number): VersionSpan | null {
  const span = spans.get(key);
  return span && now - span.at < SPAN_TTL_MS ? span : null;
}

function rememberSpan(key: string, span: VersionSpan, now: number): VersionSpan {
  remember(spans, key, { first: span.first, latest: span.latest, at: now }, MAX_SPANS);
  return span;
}

/** The definition of `version` (absent: the latest), or not_found once the machine or version is gone. */
export async function definitionAt(
  env: Env,
  tenant: string,
  machine: string,
  version?: number,
): Promise<Result<CachedDefinition>> {
  const now = Date.now();
  const key = machineKey(tenant, machine);
  let span = freshSpan(key, now);
  if (!span && version !== undefined && definitions.has(versionKey(tenant, machine, version))) {
    // The text is here; only whether the version still exists is not. Asking that alone opens
    // (decrypts) nothing.
    const asked = await machineStub(env, tenant, machine).versionSpan();
    if (!asked) return noSuchMachine(machine);
    span = rememberSpan(key, asked, now);
  }
  const wanted = version ?? span?.latest;
  if (span && wanted !== undefined) {
    // Below `first`: deleted with an earlier incarnation of the machine, and never reused.
    if (wanted < span.first) return noSuchVersion(machine, wanted);
    const hit = wanted <= span.latest ? definitions.get(versionKey(tenant, machine, wanted)) : undefined;
    if (hit) {
      remember(definitions, versionKey(tenant, machine, wanted), hit, MAX_DEFINITIONS);
      return ok(hit);
    }
    // Not cached, or published after the span was read: the object answers.
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
  rememberSpan(key, { first: read.value.firstVersion, latest: read.value.latestVersion }, now);
  return ok(entry);
}
