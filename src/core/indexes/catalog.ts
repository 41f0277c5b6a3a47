// An entity type's catalog of indexes as one value, and every change to it as a pure function:
// define, drop, finish a build, rebuild under a new key. The catalog object stores the value and
// performs what it implies (announcing the epoch, walking the type's entities, retiring shards).
//
// The epoch grows whenever the set of generations entities must deliver to changes; whatever an
// entity was told with a smaller epoch is replaced by what it is told with a larger one.
import type { Generation, IndexView } from "./contract";
import { definitionOf, type IndexDefinition, MAX_INDEXES_PER_TYPE, sameDefinition } from "./definition";

export interface IndexRecord extends IndexDefinition {
  index: string;
  createdAt: number;
  serving: Generation | null;
  building: Generation | null;
}

/** A walk over the type's entities in the tenant registry (objects/index-build.ts). */
export interface BuildState {
  /** Generations created at or before this epoch are covered by this walk. */
  epoch: number;
  shard: number;
  after: string | null;
  visited: number;
  /** Past the last shard: visiting again the entities that did not answer. */
  retrying: boolean;
}

export interface CatalogState {
  epoch: number;
  indexes: IndexRecord[];
  /** Generations dropped or replaced, with the shards not yet told to retire. */
  retiring: { gen: Generation; shards: number[] }[];
  /** Registry shards known to hold `epoch`. */
  announced: number[];
  build: BuildState | null;
}

/** What a new generation is made of, chosen by the object (a random id, the ring's primary). */
export interface NewGeneration {
  gen: string;
  keyId: string;
  shards: number;
}

export const emptyCatalog = (): CatalogState => ({
  epoch: 0,
  indexes: [],
  retiring: [],
  announced: [],
  build: null,
});

export const generationsOf = (state: CatalogState): Generation[] =>
  state.indexes.flatMap((r) => [r.serving, r.building].filter((g): g is Generation => g !== null));

export function viewOf(record: IndexRecord, state: CatalogState): IndexView {
  const building = record.building !== null && state.build !== null;
  return {
    index: record.index,
    ...definitionOf(record),
    status: record.serving ? "ACTIVE" : "BUILDING",
    createdAt: record.createdAt,
    serving: record.serving,
    building: record.building,
    rebuilding: record.serving !== null && record.building !== null,
    ...(building ? { visited: state.build!.visited } : {}),
  };
}

export type DefineDecision =
  | { kind: "created"; next: CatalogState; record: IndexRecord }
  | { kind: "same"; record: IndexRecord }
  | { kind: "conflict"; detail: string };

export function defineIndex(
  state: CatalogState,
  index: string,
  definition: IndexDefinition,
  now: number,
  fresh: NewGeneration,
): DefineDecision {
  const existing = state.indexes.find((r) => r.index === index);
  if (existing) {
    if (sameDefinition(existing, definition)) return { kind: "same", record: existing };
    return { kind: "conflict", detail: `index ${index} exists with another definition; delete it first` };
  }
  if (state.indexes.length >= MAX_INDEXES_PER_TYPE) {
    return { kind: "conflict", detail: `a type has at most ${MAX_INDEXES_PER_TYPE} indexes` };
  }
  const epoch = state.epoch + 1;
  const building: Generation = { ...fresh, index, ...definitionOf(definition), epoch };
  const record: IndexRecord = { index, ...definitionOf(definition), createdAt: now, serving: null, building };
  const next = restartBuild({ ...state, epoch, indexes: [...state.indexes, record] });
  return { kind: "created", next, record };
}

/** The index and its generations go; their shards are retired. Null when there is no such index. */
export function dropIndex(state: CatalogState, index: string): CatalogState | null {
  const record = state.indexes.find((r) => r.index === index);
  if (!record) return null;
  const indexes = state.indexes.filter((r) => r !== record);
  const gone = [record.serving, record.building].filter((g): g is Generation => g !== null);
  const stillBuilding = indexes.some((r) => r.building !== null);
  return {
    ...state,
    epoch: state.epoch + 1,
    indexes,
    retiring: [...state.retiring, ...gone.map(retirementOf)],
    announced: [],
    build: stillBuilding ? state.build : null,
  };
}

/** The walk is done: every generation it covered serves queries; the ones they replace retire. */
export function finishBuild(state: CatalogState): CatalogState {
  const covered = state.build?.epoch ?? -1;
  const retired: Generation[] = [];
  const indexes = state.indexes.map((r) => {
    if (!r.building || r.building.epoch > covered) return r;
    if (r.serving) retired.push(r.serving);
    return { ...r, serving: r.building, building: null };
  });
  const changed = retired.length > 0;
  return {
    ...state,
    indexes,
    epoch: changed ? state.epoch + 1 : state.epoch,
    announced: changed ? [] : state.announced,
    retiring: [...state.retiring, ...retired.map(retirementOf)],
    build: indexes.some((r) => r.building !== null) ? restartBuild(state).build : null,
  };
}

/**
 * After a key rotation: every index whose hashes depend on another key than `primary` gets a new
 * generation under `primary` (a build under an old key is replaced). `pending` counts generations
 * that still depend on another key: serving until their replacement is built, or not yet retired.
 */
export function rebuildUnder(
  state: CatalogState,
  primary: string,
  fresh: () => NewGeneration,
): { next: CatalogState; pending: number } {
  const epoch = state.epoch + 1;
  const retiring = [...state.retiring];
  let started = 0;
  const indexes = state.indexes.map((r) => {
    const current = r.building ?? r.serving;
    if (!current || current.keyId === primary) return r;
    if (r.building) retiring.push(retirementOf(r.building));
    started++;
    const building: Generation = { ...fresh(), index: r.index, ...definitionOf(r), epoch };
    return { ...r, building };
  });
  const pending =
    indexes.filter((r) => r.serving && r.serving.keyId !== primary).length +
    retiring.filter((r) => r.gen.keyId !== primary).length;
  if (started === 0) return { next: state, pending };
  return { next: restartBuild({ ...state, epoch, indexes, retiring }), pending };
}

/** Work the catalog owes: an epoch not yet announced everywhere, shards to retire, a walk to finish. */
export const owesWork = (state: CatalogState, registryShards: number): boolean =>
  state.epoch > 0 &&
  (state.announced.length < registryShards || state.retiring.length > 0 || state.build !== null);

const retirementOf = (gen: Generation) => ({ gen, shards: Array.from({ length: gen.shards }, (_, i) => i) });

/** A walk from the start, covering every generation up to the current epoch, after announcing it. */
const restartBuild = (state: CatalogState): CatalogState => ({
  ...state,
  announced: [],
  build: { epoch: state.epoch, shard: 0, after: null, visited: 0, retrying: false },
});
